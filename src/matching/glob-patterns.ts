import picomatch from "picomatch";
import { literalBase } from "./path-pattern-index.js";

/** Every glob in a pipeline rule is matched with these options (`dot`: `**` reaches `.github/…`). */
export const GLOB_OPTIONS = { dot: true } as const;

type Matcher = (input: string) => boolean;

/**
 * The distinct globs of one loaded config, each with an integer id and a picomatch matcher compiled on
 * first use and kept with the config.
 * A pattern set (one rule's `branches`, `paths`, …) is a list of pattern ids, itself interned, and matches
 * when any of its patterns matches, exactly as `picomatch.isMatch(input, patterns)` does.
 */
export class GlobRegistry {
  readonly #patternIds = new Map<string, number>();
  readonly #patterns: string[] = [];
  readonly #plans: Array<MatchPlan | undefined> = [];
  readonly #setIds = new Map<string, number>();
  readonly #sets: number[][] = [];
  /** One matcher per glob shape (see `planFor`), shared by every pattern of that shape. */
  readonly #shapeMatchers = new Map<string, Matcher>();

  get patternCount(): number {
    return this.#patterns.length;
  }

  get setCount(): number {
    return this.#sets.length;
  }

  internPattern(pattern: string): number {
    let id = this.#patternIds.get(pattern);
    if (id === undefined) {
      id = this.#patterns.length;
      this.#patterns.push(pattern);
      this.#plans.push(undefined);
      this.#patternIds.set(pattern, id);
    }
    return id;
  }

  /** The id of this list of globs; the same list (same globs, same order) gets the same id. */
  internSet(patterns: readonly string[]): number {
    const key = JSON.stringify(patterns);
    let id = this.#setIds.get(key);
    if (id === undefined) {
      id = this.#sets.length;
      this.#sets.push(patterns.map((pattern) => this.internPattern(pattern)));
      this.#setIds.set(key, id);
    }
    return id;
  }

  setPatternIds(setId: number): readonly number[] {
    return this.#sets[setId]!;
  }

  /** The literal directory every match of the pattern lies in (see literalBase), if it has one. */
  literalBase(patternId: number): string | undefined {
    return this.#plan(patternId).base;
  }

  patternMatches(patternId: number, input: string): boolean {
    const plan = this.#plan(patternId);
    if (plan.base === undefined || plan.shapeBase === undefined) return this.#ownMatcher(patternId, plan)(input);
    const { base, shapeBase } = plan;
    // A pattern with a literal base only matches the base itself or paths under it (the index relies on it too).
    if (!input.startsWith(base) || (input.length > base.length && input.charCodeAt(base.length) !== SLASH)) {
      return input.includes("\\") ? this.#ownMatcher(patternId, plan)(input) : false;
    }
    return plan.shapeMatcher!(shapeBase + input.slice(base.length));
  }

  setMatches(setId: number, input: string): boolean {
    for (const patternId of this.#sets[setId]!) if (this.patternMatches(patternId, input)) return true;
    return false;
  }

  /**
   * How to match a pattern, decided on first use. Most path globs of a big config differ only in their
   * literal base (`services/svc-1/**`, `services/svc-2/**`). picomatch reads a base made of letters, digits,
   * `.`, `_` and `-` as literal text whatever the letters and digits are, so `services/svc-1/**` on
   * `services/svc-1/a.ts` decides exactly as the shape `aaaaaaaa/aaa-0/**` on `aaaaaaaa/aaa-0/a.ts`: one
   * compiled matcher serves every pattern of a shape, and a new service costs no compilation.
   */
  #plan(patternId: number): MatchPlan {
    let plan = this.#plans[patternId];
    if (plan === undefined) {
      const pattern = this.#patterns[patternId]!;
      const base = literalBase(pattern);
      plan = { base };
      if (base !== undefined && (pattern === base || pattern.startsWith(`${base}/`))) {
        const shapeBase = base.replace(/[A-Za-z]/g, "a").replace(/[0-9]/g, "0");
        const shape = shapeBase + pattern.slice(base.length);
        let shapeMatcher = this.#shapeMatchers.get(shape);
        if (shapeMatcher === undefined) {
          shapeMatcher = picomatch(shape, GLOB_OPTIONS) as Matcher;
          this.#shapeMatchers.set(shape, shapeMatcher);
        }
        plan = { base, shapeBase, shapeMatcher };
      }
      this.#plans[patternId] = plan;
    }
    return plan;
  }

  #ownMatcher(patternId: number, plan: MatchPlan): Matcher {
    plan.ownMatcher ??= picomatch(this.#patterns[patternId]!, GLOB_OPTIONS) as Matcher;
    return plan.ownMatcher;
  }
}

const SLASH = "/".charCodeAt(0);

interface MatchPlan {
  base: string | undefined;
  /** The base with letters as `a` and digits as `0`, and the matcher of the pattern so rewritten. */
  shapeBase?: string;
  shapeMatcher?: Matcher;
  ownMatcher?: Matcher;
}

const matchersByGlobList = new WeakMap<readonly string[], Matcher>();

/**
 * One compiled matcher per glob list of a loaded config (keyed by the list itself, which a parsed config
 * never changes), for the callers that decide one pipeline at a time.
 */
export function globListMatcher(patterns: readonly string[]): Matcher {
  let matcher = matchersByGlobList.get(patterns);
  if (matcher === undefined) {
    matcher = picomatch([...patterns], GLOB_OPTIONS) as Matcher;
    matchersByGlobList.set(patterns, matcher);
  }
  return matcher;
}
