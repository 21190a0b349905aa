/** Flaky-test cases of the store contract (see store-contract.ts). */
import type { RelayStore, ResultUpload } from "../../src/storage/types.js";
import { newRun, upload } from "./store-fixtures.js";

export function flakyCases(current: () => RelayStore): void {
  let store: RelayStore;
  beforeEach(() => {
    store = current();
  });

  it("keeps the passed tests of an upload", async () => {
    const run = (await store.createRun(newRun()))!;
    const withPassed: ResultUpload = { ...upload, passedTests: [{ suite: "api", name: "creates a user" }, { suite: "api", name: "名前 with ' quotes" }] };
    await store.addResults(run.id, withPassed, 5);
    expect(await store.resultsFor(run.id)).toEqual([withPassed]);
  });

  it("counts each flaky test once per commit and lists a repository's flakiest first", async () => {
    const note = (sha: string, tests: Array<{ suite: string; name: string }>, now: number, repo = "app") =>
      store.recordFlakyTests({ owner: "acme", repo, pipeline: "build", sha, tests }, now);
    const login = { suite: "auth", name: "logs in" };
    const upload2 = { suite: "files", name: "uploads" };
    await note("a".repeat(40), [login, upload2], 10);
    await note("a".repeat(40), [login], 11); // the same commit judged again: no second count
    await note("b".repeat(40), [login], 20);
    await note("c".repeat(40), [upload2], 5, "other");
    expect(await store.flakiestTests("acme", "app", 10)).toEqual([
      { pipeline: "build", suite: "auth", name: "logs in", commits: 2, lastSeenAt: 20 },
      { pipeline: "build", suite: "files", name: "uploads", commits: 1, lastSeenAt: 10 },
    ]);
    expect(await store.flakiestTests("acme", "app", 1)).toHaveLength(1);
    expect(await store.flakiestTests("acme", "nothing", 10)).toEqual([]);
  });
}
