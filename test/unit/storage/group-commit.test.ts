import { GROUP_WINDOW_MS, GroupCommit, MAX_GROUP } from "../../../src/storage/group-commit.js";

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

  it("under a steady stream of single writes, commits are spaced by the window and share transactions", async () => {
    const { commits, group } = recorder();
    const answers: Promise<string>[] = [];
    // One write per turn of the event loop, faster than the window: each would otherwise be its own commit.
    for (let index = 0; index < 40; index += 1) {
      answers.push(group.add(`w${index}`));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(answers);
    expect(commits.flat()).toEqual(Array.from({ length: 40 }, (_, index) => `w${index}`));
    expect(commits.length).toBeLessThan(40);
    expect(commits.some((items) => items.length > 1)).toBe(true);
  });

  it(`commits a write after a quiet spell (${GROUP_WINDOW_MS} ms) in the next turn of the event loop`, async () => {
    const { commits, group } = recorder();
    await group.add("first");
    await new Promise((resolve) => setTimeout(resolve, GROUP_WINDOW_MS + 5));
    const second = group.add("second");
    await new Promise((resolve) => setImmediate(resolve));
    expect(commits).toEqual([["first"], ["second"]]);
    await second;
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

  it("hold commits what waits at once and keeps later writes unanswered until release", async () => {
    const { commits, group } = recorder();
    const before = group.add("before");
    group.hold();
    expect(commits).toEqual([["before"]]);
    await expect(before).resolves.toBe("BEFORE");
    let answered = false;
    const during = group.add("during").then((value) => ((answered = true), value));
    await new Promise((resolve) => setTimeout(resolve, GROUP_WINDOW_MS + 5));
    expect(commits).toEqual([["before"]]);
    expect(answered).toBe(false);
    group.release();
    await expect(during).resolves.toBe("DURING");
    expect(commits).toEqual([["before"], ["during"]]);
  });

  it("flush still commits while held (the store closing does not wait for the checkpoint)", async () => {
    const { commits, group } = recorder();
    group.hold();
    const pending = group.add("a");
    group.flush();
    await expect(pending).resolves.toBe("A");
    expect(commits).toEqual([["a"]]);
  });
});
