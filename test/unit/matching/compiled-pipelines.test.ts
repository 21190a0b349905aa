import { getRepoConfigSchema, type PipelineConfig } from "../../../src/config/repo-config.js";
import { compilePipelines, EventMatcher } from "../../../src/matching/compiled-pipelines.js";
import { decidePipelines } from "../../../src/matching/match-pipelines.js";
import type { PushEvent } from "../../../src/matching/trigger-event.js";

function pipelines(rules: unknown[]): PipelineConfig[] {
  return getRepoConfigSchema().parse({ pipelines: rules.map((on, index) => ({ name: `p${index}`, connection: "c", gitlab: { project: index + 1 }, on })) }).pipelines;
}

const push = (changedFiles: string[] | undefined): PushEvent => ({ kind: "push", ref: "main", refType: "branch", sha: "a".repeat(40), deleted: false, changedFiles, pusher: "u" });

describe("compilePipelines", () => {
  it("compiles a pipelines array once, and again when the array was changed in place", () => {
    const list = pipelines([{ push: { paths: ["src/**"] } }, { push: { paths: ["docs/**"] } }]);
    const compiled = compilePipelines(list);
    expect(compilePipelines(list)).toBe(compiled);
    list.push(pipelines([{ push: {} }])[0]!);
    const recompiled = compilePipelines(list);
    expect(recompiled).not.toBe(compiled);
    expect(recompiled.push).toHaveLength(3);
  });

  it("gives equal glob lists one set, and equal (paths, paths_ignore) pairs one filter", () => {
    const same = { branches: ["main", "release/*"], paths: ["services/a/**", "libs/**"], paths_ignore: ["**/*.md"] };
    const compiled = compilePipelines(pipelines([{ push: same }, { push: same }, { push: { ...same, paths_ignore: ["docs/**"] } }]));
    const [first, second, third] = compiled.push;
    expect(second).toEqual(first);
    expect(third!.branches).toBe(first!.branches);
    expect(third!.pathFilter).not.toBe(first!.pathFilter);
    expect(compiled.refSets).toHaveLength(1);
    expect(compiled.pathFilters.filters).toHaveLength(2);
  });

  it("decides each event afresh: nothing of one event's files leaks into the next", () => {
    const list = pipelines([{ push: { paths: ["src/**"] } }, { push: { paths_ignore: ["**/*.md"] } }]);
    const verdicts = (files: string[] | undefined) => decidePipelines(push(files), list).map((d) => d.verdict);
    expect(verdicts(["src/a.ts"])).toEqual(["run", "run"]);
    expect(verdicts(["README.md"])).toEqual(["skip", "skip"]);
    expect(verdicts(["src/a.ts"])).toEqual(["run", "run"]);
    expect(verdicts(undefined)).toEqual(["run", "run"]);
  });

  it("gives pipelines with the same branches one ref slot, matched on each event's ref", () => {
    const compiled = compilePipelines(pipelines([{ push: { branches: ["release/*"] } }, { push: { branches: ["release/*"] } }]));
    const matcher = new EventMatcher(compiled, "release/1", undefined);
    expect(compiled.push[0]!.branches).toBe(compiled.push[1]!.branches);
    expect(matcher.refMatches(compiled.push[0]!.branches!)).toBe(true);
    expect(new EventMatcher(compiled, "main", undefined).refMatches(compiled.push[1]!.branches!)).toBe(false);
  });
});
