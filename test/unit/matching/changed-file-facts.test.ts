import { getRepoConfigSchema } from "../../../src/config/repo-config.js";
import { ANCHORED, ANCHORED_WITH_IGNORE, anchoringOf, ChangedFileFacts, NOT_ANCHORED } from "../../../src/matching/changed-file-facts.js";
import { compilePipelines } from "../../../src/matching/compiled-pipelines.js";

describe("anchoringOf", () => {
  it.each([
    ["no paths", false, true, true, NOT_ANCHORED],
    ["a paths glob without a literal base", true, false, false, NOT_ANCHORED],
    ["anchored paths, with paths_ignore", true, true, true, ANCHORED_WITH_IGNORE],
    ["anchored paths, nothing ignored", true, true, false, ANCHORED],
  ])("%s", (_name, hasPaths, everyPathAnchored, hasIgnore, expected) => {
    expect(anchoringOf(hasPaths, everyPathAnchored, hasIgnore)).toBe(expected);
  });
});

describe("ChangedFileFacts", () => {
  const rules = [
    { paths: ["services/a/**"] },
    { paths: ["services/a/**"], paths_ignore: ["**/*.md"] },
    { paths: ["**/*.go"] },
    { paths_ignore: ["docs/**"] },
    { paths: ["services/b/**", "services/a/x.ts"] },
  ];
  const compiled = compilePipelines(
    getRepoConfigSchema().parse({ pipelines: rules.map((push, index) => ({ name: `p${index}`, connection: "c", gitlab: { project: index + 1 }, on: { push } })) }).pipelines,
  );
  const filterOf = (index: number) => compiled.push[index]!.pathFilter!;
  const facts = (files: string[]) => new ChangedFileFacts(compiled.globs, compiled.pathIndex, compiled.pathFilters, files);

  it.each([
    ["a file under an anchored base", ["services/a/x.md"], [0, 1]],
    ["a file two anchored globs match", ["services/a/x.ts"], [0, 1, 4]],
    ["a file no anchored glob matches", ["tools/x.go"], []],
    ["no files", [], []],
  ])("touches the filters of the anchored globs that match: %s", (_name, files, touchedPipelines) => {
    expect([...facts(files).touchedFilterIds()].sort()).toEqual(touchedPipelines.map(filterOf).sort());
  });

  it.each([
    ["touched, nothing to ignore", 0, ["services/a/x.md"], undefined],
    ["touched, every matched file ignored", 1, ["services/a/x.md"], "no changed file matches `paths`"],
    ["touched, a matched file left", 1, ["services/a/x.md", "services/a/y.ts"], undefined],
    ["untouched", 0, ["services/b/x.ts"], "no changed file matches `paths`"],
    ["not anchored, decided on the files", 2, ["tools/x.go"], undefined],
    ["paths_ignore only, every file ignored", 3, ["docs/a.md"], "every changed file matches `paths_ignore`"],
  ])("decides a filter %s", (_name, pipeline, files, problem) => {
    expect(facts(files).problem(filterOf(pipeline))).toBe(problem);
  });
});
