import { GroupCommit, MAX_GROUP } from "../../../src/storage/group-commit.js";

/** A fake transaction log: which items each commit held, and an item that makes any commit holding it fail. */
function recorder(poison?: string) {
  const commits: string[][] = [];
  const commit = (items: readonly string[]) => {
    if (poison !== undefined && items.includes(poison)) throw new Error(`cannot store ${poison}`);
    commits.push([...items]);
    return items.map((item) => item.toUpperCase());
  };
  return { commits, group: new GroupCommit<string, string>(commit, (item) => commit([item])[0]!) };
}

describe("GroupCommit", () => {
  it("commits what arrives in one turn of the event loop together, and what arrives later apart", async () => {
    const { commits, group } = recorder();
    const together = await Promise.all([group.add("a"), group.add("b"), group.add("c")]);
    const later = await group.add("d");
    expect(together).toEqual(["A", "B", "C"]);
    expect(later).toBe("D");
    expect(commits).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("answers no caller before its commit", async () => {
    const { commits, group } = recorder();
    const seen: number[] = [];
    await Promise.all([group.add("a").then(() => seen.push(commits.length)), group.add("b").then(() => seen.push(commits.length))]);
    expect(seen).toEqual([1, 1]);
  });

  it("fails only the write that cannot be stored when its group's transaction fails", async () => {
    const { commits, group } = recorder("bad");
    const outcomes = await Promise.allSettled([group.add("a"), group.add("bad"), group.add("b")]);
    expect(outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : (outcome.reason as Error).message))).toEqual([
      "A",
      "cannot store bad",
      "B",
    ]);
    expect(commits).toEqual([["a"], ["b"]]);
  });

  it(`splits a larger crowd into transactions of at most ${MAX_GROUP}`, async () => {
    const { commits, group } = recorder();
    await Promise.all(Array.from({ length: MAX_GROUP + 3 }, (_, index) => group.add(`i${index}`)));
    expect(commits.map((items) => items.length)).toEqual([MAX_GROUP, 3]);
  });

  it("flush commits what waits at once (before the store closes)", async () => {
    const { commits, group } = recorder();
    const pending = group.add("a");
    group.flush();
    expect(commits).toEqual([["a"]]);
    await expect(pending).resolves.toBe("A");
  });
});
