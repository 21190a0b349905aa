import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteFileInUseError } from "../../src/storage/sqlite-file-owner.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { waitUntil } from "../helpers/wait-until.js";
import { claim, event } from "./store-fixtures.js";

const tempFile = () => join(mkdtempSync(join(tmpdir(), "relay-sqlite-file-")), "relay.sqlite");

describe("SqliteStore on a file", () => {
  it("refuses a second store on the same file until the first is closed", async () => {
    const file = tempFile();
    const first = new SqliteStore(file);
    let refusal: unknown;
    try {
      new SqliteStore(file, { ownerWaitMs: 0 });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(SqliteFileInUseError);
    expect((refusal as Error).message).toMatch(/in use by another pipeline-relay process.*RELAY_DATABASE=postgres/);
    await first.addEvent(event("kept"), 0);
    await first.close();
    const second = new SqliteStore(file);
    expect((await second.claimEvents(claim("w", 0))).map((claimed) => claimed.deliveryId)).toEqual(["kept"]);
    await second.close();
  });

  it("copies committed pages into the database file from its own thread, and leaves no WAL after closing", async () => {
    const file = tempFile();
    const store = new SqliteStore(file);
    const sizeAtStart = statSync(file).size;
    // Far below the connection's own (fallback) checkpoint threshold: only the background thread can move them.
    for (let index = 0; index < 200; index += 1) await store.addEvent(event(`d${index}`, { payload: { index, text: "x".repeat(3000) } }), 0);
    await waitUntil(() => statSync(file).size > sizeAtStart, "the checkpoint thread to grow the database file", 10_000);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new SqliteStore(file);
    expect(await reopened.pendingEventCount()).toBe(200);
    await reopened.close();
  });

  it("commits webhooks that arrive together in one group, in arrival order, each answered on its own", async () => {
    const store = new SqliteStore(tempFile());
    const outcomes = await Promise.all([
      store.addEvent(event("first"), 0),
      store.addEvent(event("second"), 0),
      store.addEvent(event("first"), 0),
      // NOT NULL violation: fails its own request only, the group's others are stored.
      store.addEvent(event("broken", { installationId: null as never }), 0).then(
        () => "stored",
        (error: { message: string }) => error.message,
      ),
      store.addEvent(event("third", { repoKey: "acme/other" }), 0),
    ]);
    expect(outcomes).toEqual([true, true, false, expect.stringMatching(/NOT NULL constraint failed: events.installation_id/), true]);
    const claimed = await store.claimEvents(claim("w", 0));
    expect(claimed.map((held) => held.deliveryId)).toEqual(["first", "third"]);
    expect(await store.pendingEventCount()).toBe(3);
    await store.close();
  });
});
