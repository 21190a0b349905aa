import picomatch from "picomatch";
import { getRepoConfigSchema, type PipelineConfig, PULL_REQUEST_ACTIONS } from "../../../src/config/repo-config.js";
import { GlobRegistry } from "../../../src/matching/glob-patterns.js";
import { decidePipelines, matchesPaths, pullRequestTargetsPipeline } from "../../../src/matching/match-pipelines.js";
import { PathPatternIndex } from "../../../src/matching/path-pattern-index.js";
import type { PullRequestEvent, PushEvent, TriggerEvent } from "../../../src/matching/trigger-event.js";
import { referenceDecidePipelines, referenceMatchesPaths, referenceTargetsPipeline } from "./reference-matching.js";

/**
 * The compiled matcher (interned glob sets, shape-shared matchers, the literal-base index, per-event memos)
 * against the reference (picomatch.isMatch per pipeline × file), over generated configs and events.
 * Seeded, so a failure reproduces; bounded, so it runs in a few seconds.
 */

/** mulberry32: a small deterministic generator. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const some = <T>(make: () => T, max: number): T[] => Array.from({ length: 1 + Math.floor(next() * max) }, make);
  return { next, pick, chance, some };
}
type Random = ReturnType<typeof generator>;

const SEGMENTS = ["src", "docs", ".github", "lib", "a", "b", "svc-1", "svc-12", "svc_2", "v1.2", "README.md", "x.ts", ".env", "A", "node_modules"];
const GLOB_TAILS = ["**", "*", "*.ts", "**/*.md", "**/*", "{a,b}/**", "@(a|b)/*", "!(x.ts)", "+(a|b)/**", "[ab]*", "?", ".*", "**/", "*.{ts,md}", "**/.env"];
const UNANCHORED = ["**/*.md", "*.ts", "**", "{src,docs}/**", "*/x.ts", "**/.github/**", "?(a)/**", "[ab]/**", ".*", "*"];

function directory(random: Random): string {
  return random.some(() => random.pick(SEGMENTS), 3).join("/");
}

function pathGlob(random: Random): string {
  const roll = random.next();
  if (roll < 0.45) return `${directory(random)}/${random.pick(GLOB_TAILS)}`;
  if (roll < 0.6) return random.pick(UNANCHORED);
  if (roll < 0.7) return directory(random); // a literal path
  if (roll < 0.8) return `!${random.chance(0.5) ? directory(random) + "/**" : random.pick(UNANCHORED)}`;
  if (roll < 0.88) return `./${directory(random)}/${random.pick(GLOB_TAILS)}`;
  if (roll < 0.94) return `${directory(random)}/**/${random.pick(["*.ts", "x.ts", ".env", "*"])}`;
  return `${random.pick(SEGMENTS)}{,/${random.pick(SEGMENTS)}}/**`;
}

function changedFile(random: Random): string {
  const roll = random.next();
  if (roll < 0.8) return `${directory(random)}/${random.pick(["x.ts", "README.md", ".env", "a", "index.js", "svc-1"])}`;
  if (roll < 0.88) return directory(random);
  return random.pick(["./src/x.ts", "src//x.ts", "src/", "src\\x.ts", "docs/../src/x.ts", "src/./x.ts", ".github", "SRC/x.ts", "src/**", "src/x.ts/"]);
}

const BRANCH_GLOBS = ["main", "release/*", "release/**", "feature/*", "!main", "*", "**", "v*", "{main,dev}", "dev"];
const REFS = ["main", "dev", "release/1", "release/1/hotfix", "feature/x", "v1.2.0", "nightly", "Main", "a/b"];
const LABELS = ["ci", "skip", "docs", "big"];

function globList(random: Random, make: () => string): string[] | string {
  const list = random.some(make, 3);
  return random.chance(0.15) ? list[0]! : list;
}

function rule(random: Random, kind: "push" | "pull_request"): Record<string, unknown> {
  const optional = (p: number, make: () => unknown) => (random.chance(p) ? make() : undefined);
  const common = {
    branches: optional(0.6, () => globList(random, () => random.pick(BRANCH_GLOBS))),
    paths: optional(0.6, () => globList(random, () => pathGlob(random))),
    paths_ignore: optional(0.35, () => globList(random, () => pathGlob(random))),
  };
  if (kind === "push") return { ...common, tags: optional(0.3, () => globList(random, () => random.pick(["v*", "v1.*", "*", "nightly"]))) };
  return {
    ...common,
    types: optional(0.4, () => random.some(() => random.pick(PULL_REQUEST_ACTIONS), 3)),
    drafts: optional(0.3, () => random.chance(0.5)),
    labels: optional(0.2, () => random.some(() => random.pick(LABELS), 2)),
    skip_labels: optional(0.2, () => random.some(() => random.pick(LABELS), 2)),
  };
}

function config(random: Random, size: number): PipelineConfig[] {
  const reused = Array.from({ length: 3 }, () => globList(random, () => pathGlob(random)));
  const pipelines = Array.from({ length: size }, (_, index) => {
    const on: Record<string, unknown> = {};
    if (random.chance(0.7)) on.push = rule(random, "push");
    if (random.chance(0.7)) on.pull_request = rule(random, "pull_request");
    // Many pipelines of a real config share a glob list; the compiled form must give them one answer each.
    if (on.push && random.chance(0.3)) (on.push as Record<string, unknown>).paths = random.pick(reused);
    return { name: `p${index}`, connection: "c", gitlab: { project: index + 1 }, on, report_when_skipped: random.chance(0.5) };
  });
  const stripped = pipelines.map((p) => ({ ...p, on: JSON.parse(JSON.stringify(p.on)) as unknown }));
  return getRepoConfigSchema().parse({ pipelines: stripped }).pipelines;
}

function event(random: Random): TriggerEvent {
  const changedFiles = random.chance(0.1) ? undefined : random.chance(0.05) ? [] : random.some(() => changedFile(random), 12);
  if (random.chance(0.5)) {
    const push: PushEvent = { kind: "push", ref: random.pick(REFS), refType: random.chance(0.25) ? "tag" : "branch", sha: "a".repeat(40), deleted: random.chance(0.05), changedFiles, pusher: "u" };
    return push;
  }
  const pr: PullRequestEvent = {
    kind: "pull_request", action: random.pick([...PULL_REQUEST_ACTIONS, "closed"]), number: 1, state: random.chance(0.05) ? "closed" : "open",
    draft: random.chance(0.2), baseRef: random.pick(REFS), headRef: "topic", sha: "b".repeat(40), fromFork: false, author: "u",
    authorIsBot: false, sender: "u", labels: random.chance(0.5) ? [random.pick(LABELS)] : [], changedFiles,
  };
  return pr;
}

describe("compiled matching agrees with picomatch per pair", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: decidePipelines, pullRequestTargetsPipeline and matchesPaths", (seed) => {
    const random = generator(seed);
    let decided = 0;
    for (let round = 0; round < 12; round++) {
      const pipelines = config(random, 5 + Math.floor(random.next() * 25));
      for (let index = 0; index < 15; index++) {
        const trigger = event(random);
        const options = { ignoreActionTypes: random.chance(0.2) };
        const expected = referenceDecidePipelines(trigger, pipelines, options);
        expect(decidePipelines(trigger, pipelines, options)).toEqual(expected);
        decided += expected.length;
        if (trigger.kind === "pull_request") {
          for (const pipeline of pipelines) expect(pullRequestTargetsPipeline(trigger.baseRef, pipeline)).toBe(referenceTargetsPipeline(trigger.baseRef, pipeline));
        }
        for (const pipeline of pipelines) {
          const push = pipeline.on.push;
          if (push) expect(matchesPaths(trigger.changedFiles, push.paths, push.paths_ignore)).toBe(referenceMatchesPaths(trigger.changedFiles, push.paths, push.paths_ignore));
        }
      }
    }
    // The generator must produce events that concern pipelines, or the comparison proves little.
    expect(decided).toBeGreaterThan(100);
  });

  it("each glob decides every path as picomatch does, and the index offers every anchored glob that matches", () => {
    const random = generator(99);
    const patterns = [...new Set(Array.from({ length: 300 }, () => pathGlob(random)))];
    const files = [...new Set(Array.from({ length: 250 }, () => changedFile(random)))];
    const registry = new GlobRegistry();
    const index = new PathPatternIndex();
    const ids = patterns.map((pattern) => registry.internPattern(pattern));
    ids.forEach((id) => index.add(id, registry.literalBase(id)));
    let matches = 0;
    const disagreements: string[] = [];
    const missedCandidates: string[] = [];
    for (const file of files) {
      const candidates: number[] = [];
      index.collectCandidatePairs([file], candidates, []);
      patterns.forEach((pattern, position) => {
        const id = ids[position]!;
        const expected = picomatch.isMatch(file, pattern, { dot: true });
        if (registry.patternMatches(id, file) !== expected) disagreements.push(`${pattern} on ${file}: picomatch says ${expected}`);
        if (expected && index.isAnchored(id) && !candidates.includes(id)) missedCandidates.push(`${pattern} matches ${file}`);
        if (expected) matches++;
      });
    }
    expect(disagreements).toEqual([]);
    expect(missedCandidates).toEqual([]);
    expect(index.anchoredPatternIds.length).toBeGreaterThan(50);
    expect(index.unanchoredPatternIds.length).toBeGreaterThan(20);
    expect(matches).toBeGreaterThan(200);
  });
});
