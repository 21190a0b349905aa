import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CommitGate, type QuietCheckpoint, WalCheckpointer } from "../../src/storage/wal-checkpointer.js";

const quietly = { onError: () => undefined, onExit: () => undefined };

describe("WalCheckpointer", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "relay-wal-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reports a thread that cannot open the database and tells its owner it is gone (the store then checkpoints itself)", async () => {
    const errors: string[] = [];
    let exited!: () => void;
    const gone = new Promise<void>((resolve) => (exited = resolve));
    new WalCheckpointer("/nonexistent-dir/relay.sqlite", { onError: (message) => errors.push(message), onExit: () => exited() });
    await gone;
    expect(errors).toEqual([expect.stringMatching(/directory does not exist|unable to open/i)]);
  });

  it("starts a long WAL over under a steady stream of commits: it holds the commits, copies the rest, then lets them go", async () => {
    const db = new Database(join(dir, "relay.sqlite"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("wal_autocheckpoint = 0");
    db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB)");
    const gateLog: string[] = [];
    let held = false;
    const gate: CommitGate = {
      hold: () => {
        gateLog.push("hold");
        held = true;
      },
      release: () => {
        gateLog.push("release");
        held = false;
      },
    };
    const quiet: QuietCheckpoint[] = [];
    let caughtUp!: () => void;
    const firstCaughtUp = new Promise<void>((resolve) => (caughtUp = resolve));
    const checkpointer = new WalCheckpointer(join(dir, "relay.sqlite"), {
      ...quietly,
      gate,
      restartAtFrames: 64,
      onQuietCheckpoint: (result) => {
        quiet.push(result);
        if (result.caughtUp) caughtUp();
      },
    });
    const insert = db.prepare("INSERT INTO rows (body) VALUES (?)");
    let stop = false;
    void firstCaughtUp.then(() => (stop = true));
    // Bounded, so a checkpointer that never asks for a pause fails the assertions below instead of hanging.
    const giveUp = setTimeout(() => (stop = true), 5000);
    // A commit every millisecond unless held, as the store's webhook commits are: the thread cannot catch up alone.
    while (!stop) {
      if (!held) insert.run(Buffer.alloc(8192, 1));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    clearTimeout(giveUp);
    insert.run(Buffer.alloc(8192, 2));
    const { log } = (db.pragma("wal_checkpoint(PASSIVE)") as { log: number }[])[0]!;
    db.close();
    await checkpointer.stop();

    expect(gateLog.slice(0, 2)).toEqual(["hold", "release"]);
    expect(quiet.find((result) => result.caughtUp)!.frames).toBeGreaterThanOrEqual(64);
    // The commit after the pause wrote at the start of the WAL again: a few frames, not the 64 and more before.
    expect(log).toBeLessThan(10);
  });
});
