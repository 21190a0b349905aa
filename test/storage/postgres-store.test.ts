import { PG_MIGRATIONS } from "../../src/storage/postgres-schema.js";
import pg from "pg";
import { openStore } from "../../src/storage/open-store.js";
import { PostgresStore } from "../../src/storage/postgres-store.js";
import type { RelayStore } from "../../src/storage/types.js";
import { claim, describeStoreContract, event, newRun } from "./store-contract.js";

/**
 * The contract against a real PostgreSQL server, plus what only a server can show: several pools (replicas)
 * claiming at once, and replicas migrating at once. Each run works in its own fresh schemas, dropped at the end.
 */
const serverUrl = process.env.RELAY_TEST_DATABASE_URL;
const describeServer = serverUrl ? describe : describe.skip;
if (!serverUrl) {
  console.info("PostgreSQL server suite skipped: RELAY_TEST_DATABASE_URL is not set (the PGlite suite covers the same SQL).");
}

const runId = `${process.pid}_${Date.now()}`;
const schemas: string[] = [];
let admin: pg.Client | undefined;

/** A URL whose connections work in a new, empty schema of the test database. */
async function freshSchemaUrl(label: string): Promise<string> {
  if (!admin) {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
  }
  const schema = `relay_test_${label}_${runId}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  schemas.push(schema);
  const url = new URL(serverUrl!);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

afterAll(async () => {
  for (const schema of schemas) await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

let contractStore: PostgresStore | undefined;
describeStoreContract("PostgreSQL (server)", {
  setup: async () => {
    contractStore = await PostgresStore.connect(await freshSchemaUrl("contract"), { poolSize: 4 });
  },
  fresh: async () => {
    await admin!.query(`TRUNCATE ${schemas[0]}.events, ${schemas[0]}.runs, ${schemas[0]}.result_uploads, ${schemas[0]}.approvals, ${schemas[0]}.once_keys, ${schemas[0]}.flaky_tests RESTART IDENTITY`);
    return contractStore!;
  },
  release: async () => {},
  teardown: async () => {
    await contractStore?.close();
  },
}, describeServer);

describeServer("PostgresStore with several replicas (server)", () => {
  const replicas: RelayStore[] = [];
  afterEach(async () => {
    for (const store of replicas.splice(0)) await store.close();
  });

  it("never hands the same run to two replicas claiming at once", async () => {
    const url = await freshSchemaUrl("runs");
    replicas.push(await PostgresStore.connect(url, { poolSize: 4 }), await PostgresStore.connect(url, { poolSize: 4 }));
    for (let index = 0; index < 200; index++) await replicas[0]!.createRun(newRun({ nextPollAt: index }));
    // Each round both replicas claim at the same moment, on their own connections.
    const claimed: number[][] = [[], []];
    for (let round = 0; round < 20; round++) {
      const batches = await Promise.all(
        replicas.map((store, replica) => store.claimRuns("vendor", claim(`replica-${replica}`, 1000, { limit: 10, leaseMs: 60_000 }))),
      );
      batches.forEach((batch, replica) => claimed[replica]!.push(...batch.map((claimedRun) => claimedRun.run.id)));
    }
    const all = claimed.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(200);
    expect(claimed.every((ids) => ids.length > 0)).toBe(true);
  });

  it("handles every event exactly once and each repository's events in order across replicas", async () => {
    const url = await freshSchemaUrl("events");
    replicas.push(await PostgresStore.connect(url, { poolSize: 4 }), await PostgresStore.connect(url, { poolSize: 4 }));
    for (let index = 0; index < 200; index++) {
      await replicas[0]!.addEvent(event(`d${index}`, { repoKey: `acme/repo-${index % 50}`, payload: { index } }), index);
    }
    const handled: Array<{ replica: number; index: number; repoKey: string }> = [];
    await Promise.all(
      replicas.map(async (store, replica) => {
        for (let round = 0; round < 200 && (await store.pendingEventCount()) > 0; round++) {
          for (const claimed of await store.claimEvents(claim(`replica-${replica}`, 1000, { limit: 10, leaseMs: 60_000 }))) {
            handled.push({ replica, index: (claimed.payload as { index: number }).index, repoKey: claimed.repoKey });
            expect(await store.finishEvent(claimed.deliveryId, claimed.leaseToken)).toBe(true);
          }
        }
      }),
    );
    expect(handled.map((entry) => entry.index).sort((a, b) => a - b)).toEqual([...Array(200).keys()]);
    for (let repo = 0; repo < 50; repo++) {
      const order = handled.filter((entry) => entry.repoKey === `acme/repo-${repo}`).map((entry) => entry.index);
      expect(order).toEqual([repo, repo + 50, repo + 100, repo + 150]);
    }
  });

  it("migrates once when several replicas start at the same time", async () => {
    const url = await freshSchemaUrl("migrate");
    replicas.push(...(await Promise.all([1, 2, 3].map(() => PostgresStore.connect(url, { poolSize: 2 })))));
    const schema = schemas[schemas.length - 1];
    const { rows } = await admin!.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    expect(rows.map((row: { version: number }) => row.version)).toEqual(PG_MIGRATIONS.map((_, index) => index + 1));
    expect(await replicas[2]!.createRun(newRun())).toMatchObject({ id: 1 });
  });

  it("is what openStore gives for a postgres:// setting", async () => {
    const store = await openStore(await freshSchemaUrl("open"), { poolSize: 2 });
    replicas.push(store);
    expect(store).toBeInstanceOf(PostgresStore);
    expect(await store.addEvent(event("opened"), 1)).toBe(true);
  });
});
