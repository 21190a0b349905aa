import picomatch from "picomatch";
import { literalBase } from "./path-pattern-index.js";

/** Every glob in a pipeline rule is matched with these options (`dot`: `**` reaches `.github/…`). */
export const GLOB_OPTIONS = { dot: true } as const;

type Matcher = (input: string) => boolean;

/**
 * The distinct globs of one loaded config, each with an integer id, its literal base and its compiled
 * shape (see #shapeOf), or else a picomatch matcher compiled on first use, all kept with the config.
 * A pattern set (one rule's `branches`, `paths`, …) is a list of pattern ids, itself interned, and matches
 * when any of its patterns matches, exactly as `picomatch.isMatch(input, patterns)` does.
 */
export class GlobRegistry {
  readonly #patternIds = new Map<string, number>();
  readonly #patterns: string[] = [];
  /**
   * Per pattern id, in arrays side by side rather than an object per pattern, so a test reads both at
   * once (a big config's globs do not stay in cache between events): the literal base, and the shape.
   */
  readonly #bases: Array<string | undefined> = [];
  readonly #shapes: Array<GlobShape | undefined> = [];
  readonly #ownMatchers: Array<Matcher | undefined> = [];
  readonly #setIds = new Map<string, number>();
  readonly #sets: number[][] = [];
  /** One compiled shape per glob shape, shared by every pattern of that shape. */
  readonly #shapesByGlob = new Map<string, GlobShape | undefined>();

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
      const base = literalBase(pattern);
      this.#patterns.push(pattern);
      this.#bases.push(base);
      this.#shapes.push(base !== undefined && (pattern === base || pattern.startsWith(`${base}/`)) ? this.#shapeOf(pattern, base) : undefined);
      this.#ownMatchers.push(undefined);
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
    return this.#bases[patternId];
  }

  patternMatches(patternId: number, input: string): boolean {
    const base = this.#bases[patternId];
    const shape = this.#shapes[patternId];
    if (base === undefined || shape === undefined) return this.#ownMatcher(patternId)(input);
    // A pattern with a literal base only matches the base itself or paths under it (the index relies on it too).
    if (!input.startsWith(base) || (input.length > base.length && input.charCodeAt(base.length) !== SLASH)) {
      return input.includes("\\") ? this.#ownMatcher(patternId)(input) : false;
    }
    // picomatch first compares the input with the glob itself, and so does the shape's matcher: the shape of
    // the input equals the shape's glob exactly when the input equals the pattern (lengths first, so the
    // pattern's text stays unread when they differ).
    return (input.length === shape.globLength && input === this.#patterns[patternId]) || shape.underBase.test(input);
  }

  setMatches(setId: number, input: string): boolean {
    for (const patternId of this.#sets[setId]!) if (this.patternMatches(patternId, input)) return true;
    return false;
  }

  /**
   * Most path globs of a big config differ only in their literal base (`services/svc-1/**`,
   * `services/svc-2/**`). picomatch reads a base made of letters, digits, `.`, `_` and `-` as literal text
   * whatever the letters and digits are, so `services/svc-1/**` on `services/svc-1/a.ts` decides exactly as
   * the shape `aaaaaaaa/aaa-0/**` on `aaaaaaaa/aaa-0/a.ts`: one compiled shape (see compileShape) serves
   * every pattern of it, and a new service costs no compilation.
   */
  #shapeOf(pattern: string, base: string): GlobShape | undefined {
    const shapeBase = base.replace(/[A-Za-z]/g, "a").replace(/[0-9]/g, "0");
    const shapeGlob = shapeBase + pattern.slice(base.length);
    if (!this.#shapesByGlob.has(shapeGlob)) this.#shapesByGlob.set(shapeGlob, compileShape(shapeGlob, shapeBase));
    return this.#shapesByGlob.get(shapeGlob);
  }

  #ownMatcher(patternId: number): Matcher {
    return (this.#ownMatchers[patternId] ??= picomatch(this.#patterns[patternId]!, GLOB_OPTIONS) as Matcher);
  }
}

const SLASH = "/".charCodeAt(0);

interface GlobShape {
  /** The length of the shape's glob, and so of every pattern of that shape. */
  globLength: number;
  /** Decides for any pattern of the shape on an input that starts with the pattern's base (see compileShape). */
  underBase: RegExp;
}

/**
 * picomatch's regex of a shape, with the shape's base, which it spells out as plain text right after its
 * opening groups, replaced by "any as many characters": on an input known to start with a pattern's base,
 * it decides as picomatch decides the pattern. So a test builds no rewritten input, and the engine has no
 * string to flatten. Undefined when the regex is not of that form, or when picomatch rewrites inputs
 * before matching (on Windows): such patterns get their own matcher.
 */
function compileShape(shapeGlob: string, shapeBase: string): GlobShape | undefined {
  // The detailed result carries the exact regex the matcher runs, and whether it formats inputs first.
  const { regex, posix } = picomatch(shapeGlob, GLOB_OPTIONS)(shapeGlob, true);
  const openings = /^(?:\^\(\?:)+/.exec(regex.source)?.[0];
  const spelledBase = shapeBase.replace(/[./]/g, "\\$&");
  if (posix || openings === undefined || !regex.source.startsWith(spelledBase, openings.length)) return undefined;
  const rest = regex.source.slice(openings.length + spelledBase.length);
  return { globLength: shapeGlob.length, underBase: new RegExp(`${openings}[\\s\\S]{${shapeBase.length}}${rest}`, regex.flags) };
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
