import type { RelayStore } from "../../src/storage/types.js";
import { deliveryAndCallbackCases } from "./contract-callbacks.js";
import { eventCases } from "./contract-events.js";
import { runCases } from "./contract-runs.js";
import { flakyCases } from "./contract-flaky.js";

export { claim, event, newRun } from "./store-fixtures.js";

/** How one store implementation is opened for the shared cases. */
export interface StoreTarget {
  /** Once per file (PGlite and servers are slow to open). */
  setup(): Promise<void>;
  /** An empty store for one test. */
  fresh(): Promise<RelayStore>;
  /** After each test (SQLite closes its database; shared stores keep theirs). */
  release(store: RelayStore): Promise<void>;
  teardown(): Promise<void>;
}

/** The cases every RelayStore must pass, whatever database is behind it. */
export function describeStoreContract(name: string, target: StoreTarget, describeFn: jest.Describe = describe): void {
  describeFn(`${name} store contract`, () => {
    let store: RelayStore;
    beforeAll(() => target.setup(), 60_000);
    beforeEach(async () => {
      store = await target.fresh();
    });
    afterEach(() => target.release(store));
    afterAll(() => target.teardown(), 30_000);

    describe("events", () => eventCases(() => store));
    describe("runs", () => runCases(() => store));
    describe("flaky tests", () => flakyCases(() => store));
    describe("missed deliveries and vendor callbacks", () => deliveryAndCallbackCases(() => store));
  });
}
