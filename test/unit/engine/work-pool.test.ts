import { WorkPool } from "../../../src/engine/work-pool.js";

const never = () => new Promise<void>(() => undefined);

describe("WorkPool", () => {
  it("caps each key, so one key cannot take every slot", () => {
    const pool = new WorkPool(4, (key) => (key === "slow" ? 2 : 4));
    pool.start("slow", never, () => undefined);
    expect(pool.hasRoomFor("slow")).toBe(true);
    pool.start("slow", never, () => undefined);
    expect(pool.hasRoomFor("slow")).toBe(false);
    expect(pool.saturatedKeys()).toEqual(["slow"]);
    expect(pool.hasRoomFor("other")).toBe(true);
    expect(pool.free).toBe(2);
  });

  it("frees the slot and the key when work settles, also when it throws", async () => {
    const pool = new WorkPool(2, () => 1);
    const done: string[] = [];
    pool.start("a", async () => undefined, () => done.push("a"));
    pool.start("b", async () => Promise.reject(new Error("boom")), () => done.push("b"));
    expect(await pool.settled()).toBe(true);
    expect(done.sort()).toEqual(["a", "b"]);
    expect(pool.free).toBe(2);
    expect(pool.saturatedKeys()).toEqual([]);
  });

  it("reports a deadline passed while work is still in flight", async () => {
    const pool = new WorkPool(1, () => 1);
    pool.start("stuck", never, () => undefined);
    expect(await pool.settled(20)).toBe(false);
    expect(pool.size).toBe(1);
  });
});
