import { getRepoConfigSchema, type PipelineConfig } from "../../../src/config/repo-config.js";
import { decidePipelines } from "../../../src/matching/match-pipelines.js";
import type { PushEvent } from "../../../src/matching/trigger-event.js";
import { referenceDecidePipelines } from "./reference-matching.js";

function pipelines(rules: unknown[]): PipelineConfig[] {
  return getRepoConfigSchema().parse({ pipelines: rules.map((push, index) => ({ name: `p${index}`, connection: "c", gitlab: { project: index + 1 }, on: { push } })) }).pipelines;
}

const push = (overrides: Partial<PushEvent>): PushEvent => ({ kind: "push", ref: "main", refType: "branch", sha: "a".repeat(40), deleted: false, changedFiles: [], pusher: "u", ...overrides });

/** Each kind of path filter a push layout treats apart, with and without a file it cares about. */
const config = pipelines([
  { paths: ["services/a/**"] },
  { paths: ["services/a/**"] },
  { paths: ["services/b/**"], paths_ignore: ["**/*.md"] },
  { paths: ["**/*.go"] },
  { paths: ["services/a/**", "*.json"] },
  { paths_ignore: ["docs/**"] },
  {},
  { branches: ["release/*"], paths: ["services/a/**"] },
  { tags: ["v*"], paths: ["services/a/**"] },
  { tags: ["v*"], paths: ["services/b/**"], paths_ignore: ["**/*.md"] },
]);

describe("push decisions", () => {
  it.each([
    ["no file touches an anchored glob", push({ changedFiles: ["README.md"] })],
    ["two pipelines share a touched filter", push({ changedFiles: ["services/a/x.ts"] })],
    ["a touched filter whose matched files are all ignored", push({ changedFiles: ["services/b/x.md"] })],
    ["a touched filter with a file left after ignoring", push({ changedFiles: ["services/b/x.md", "services/b/y.ts"] })],
    ["an unanchored glob, decided on every event", push({ changedFiles: ["tools/x.go"] })],
    ["anchored and unanchored globs in one filter", push({ changedFiles: ["package.json"] })],
    ["every file ignored by a paths_ignore-only filter", push({ changedFiles: ["docs/a.md"] })],
    ["no changed files", push({ changedFiles: [] })],
    ["an unknown file list lets every path filter pass", push({ changedFiles: undefined })],
    ["another branch", push({ ref: "release/1", changedFiles: ["services/a/x.ts"] })],
    ["a tag ignores path filters", push({ ref: "v1", refType: "tag", changedFiles: [] })],
    ["a tag ignores path filters its files touch", push({ ref: "v1", refType: "tag", changedFiles: ["README.md", "services/b/x.md"] })],
    ["a deleted branch", push({ deleted: true, changedFiles: ["services/a/x.ts"] })],
  ])("%s", (_name, event) => {
    expect(decidePipelines(event, config)).toEqual(referenceDecidePipelines(event, config));
  });

  it("decides refs in turn, more of them than the layouts it keeps", () => {
    const perBranch = pipelines(Array.from({ length: 12 }, (_, index) => ({ branches: [`b${index}`], paths: [`services/s${index}/**`] })));
    for (const round of [1, 2]) {
      for (let index = 0; index < 12; index++) {
        const event = push({ ref: `b${index}`, changedFiles: round === 1 ? [`services/s${index}/x.ts`] : ["README.md"] });
        expect(decidePipelines(event, perBranch)).toEqual(referenceDecidePipelines(event, perBranch));
      }
    }
  });

  it("confirms the base of a glob the index offers by hash alone", () => {
    // Bases whose 32-bit hashes are equal (see base-pattern-table.test.ts).
    const alike = pipelines([{ paths: ["unjpymW382/**"] }, { paths: ["5Bl2B_rdQ6/**"] }]);
    const event = push({ changedFiles: ["5Bl2B_rdQ6/x.ts"] });
    expect(decidePipelines(event, alike).map((decision) => decision.verdict)).toEqual(["skip", "run"]);
  });

  it("hands out the same frozen decision for a pipeline from event to event", () => {
    const first = decidePipelines(push({ changedFiles: ["services/a/x.ts"] }), config);
    const second = decidePipelines(push({ changedFiles: ["services/a/y.ts"] }), config);
    expect(second[0]).toBe(first[0]);
    expect(Object.isFrozen(second[0])).toBe(true);
    expect(second).not.toBe(first);
  });
});
