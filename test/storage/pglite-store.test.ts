import { PG_MIGRATIONS } from "../../src/storage/postgres-schema.js";
import { PostgresStore } from "../../src/storage/postgres-store.js";
import { PgliteExecutor } from "../helpers/pglite-executor.js";
import { claim, describeStoreContract, event } from "./store-contract.js";

/** PGlite opens slowly: one database for the file, emptied between tests. */
let executor: PgliteExecutor;
let store: PostgresStore;

describeStoreContract("PostgreSQL (PGlite)", {
  setup: async () => {
    executor = await PgliteExecutor.create();
    store = await PostgresStore.open(executor);
  },
  fresh: async () => {
    await executor.exec(`TRUNCATE events, runs, result_uploads, approvals, once_keys, flaky_tests RESTART IDENTITY`);
    return store;
  },
  release: async () => {},
  // Closed once the whole file is done (below).
  teardown: async () => {},
});

afterAll(() => store?.close());

describe("PostgresStore migrations (PGlite)", () => {
  it("applies each version once, however often a store opens on the database", async () => {
    await PostgresStore.open(executor);
    const { rows } = await executor.query(`SELECT version FROM schema_migrations ORDER BY version`);
    expect(rows.map((row) => Number(row.version))).toEqual(PG_MIGRATIONS.map((_, index) => index + 1));
  });
});

describe("PostgresStore rows (PGlite)", () => {
  it("drops a handled event's payload but keeps the row for redelivery checks", async () => {
    await executor.exec(`TRUNCATE events`);
    await store.addEvent(event("a", { payload: { big: "x".repeat(1000) } }), 0);
    const [held] = await store.claimEvents(claim("w", 0));
    await store.finishEvent("a", held!.leaseToken);
    const { rows } = await executor.query(`SELECT status, payload, lease_token FROM events WHERE delivery_id = 'a'`);
    expect(rows).toEqual([{ status: "done", payload: "{}", lease_token: null }]);
  });
});
