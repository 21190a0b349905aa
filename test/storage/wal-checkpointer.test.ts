import { WalCheckpointer } from "../../src/storage/wal-checkpointer.js";

describe("WalCheckpointer", () => {
  it("reports a thread that cannot open the database and tells its owner it is gone (the store then checkpoints itself)", async () => {
    const errors: string[] = [];
    let exited!: () => void;
    const gone = new Promise<void>((resolve) => (exited = resolve));
    new WalCheckpointer("/nonexistent-dir/relay.sqlite", (message) => errors.push(message), () => exited());
    await gone;
    expect(errors).toEqual([expect.stringMatching(/directory does not exist|unable to open/i)]);
  });
});
