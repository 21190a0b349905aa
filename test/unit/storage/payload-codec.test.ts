import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packPayload, unpackPayload } from "../../../src/storage/payload-codec.js";
import { SqliteStore } from "../../../src/storage/sqlite-store.js";

const payload = { ref: "refs/heads/main", commits: Array.from({ length: 40 }, (_, index) => ({ id: `${index}`.padStart(40, "0"), message: "fix: 修正 ✓" })) };

describe("webhook payloads in the SQLite store", () => {
  it("packs a payload into a fraction of its size and back, byte for byte", () => {
    const json = JSON.stringify(payload);
    const packed = packPayload(json);
    expect(packed.length).toBeLessThan(json.length / 4);
    expect(unpackPayload(packed)).toBe(json);
  });

  it("reads a payload stored as JSON text before packing existed", () => {
    expect(unpackPayload('{"a":1}')).toBe('{"a":1}');
  });

  it("stores a delivery packed and hands it back parsed; a row written as text by an older version is still claimed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "relay-codec-"));
    const file = join(dir, "relay.sqlite");
    try {
      const store = new SqliteStore(file);
      await store.addEvent({ deliveryId: "new", name: "push", payload, payloadJson: JSON.stringify(payload), installationId: 1, repoKey: "acme/new" }, 10);
      await store.close();
      const raw = new Database(file);
      expect(Buffer.isBuffer(raw.prepare("SELECT payload FROM events WHERE delivery_id = 'new'").pluck().get())).toBe(true);
      raw
        .prepare(`INSERT INTO events (delivery_id, name, payload, installation_id, repo_key, status, attempts, next_attempt_at, received_at)
          VALUES ('old', 'push', '{"ref":"refs/heads/old"}', 1, 'acme/old', 'pending', 0, 10, 10)`)
        .run();
      raw.close();
      const reopened = new SqliteStore(file);
      const claimed = await reopened.claimEvents({ owner: "w", now: 20, leaseMs: 1000, limit: 10 });
      expect(Object.fromEntries(claimed.map((event) => [event.deliveryId, event.payload]))).toEqual({ new: payload, old: { ref: "refs/heads/old" } });
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
