import { VendorError } from "../../src/errors.js";
import type { TriggerRequest, VendorAdapter } from "../../src/vendors/types.js";

/** A run as the vendor lists it for a search: `relayRunId` is the RELAY_RUN_ID it carries. */
export interface ListedRun {
  runId: string;
  relayRunId: string;
}

/**
 * What every `findRun` must do: find the run that carries the request's RELAY_RUN_ID among several,
 * answer null when none does, return the handle trigger() would have returned, and turn the vendor's
 * error envelope into a VendorError. Vendor-specific "cannot confirm" cases live next to each harness.
 */
export interface FindRunHarness<Target> {
  vendor: string;
  createAdapter(): { adapter: VendorAdapter<Target>; logs: string[] };
  /** Carries `variables.RELAY_RUN_ID` = OUR_RELAY_RUN_ID. */
  request: TriggerRequest<Target>;
  since: number;
  /** nock: the vendor accepts a trigger and answers with run `runId` (to compare the handle's shape). */
  acceptsTrigger(runId: string): void;
  /** nock: the vendor lists these runs (newest first), created after `since`, for the request's commit. */
  listsRuns(runs: ListedRun[]): void;
  /** nock: the list call answers the vendor's documented error body. */
  listFails: { setup(): void; status?: number; mustMention: string[] };
}

export const OUR_RELAY_RUN_ID = "4711";

export function describeFindRunContract<Target>(name: string, harness: FindRunHarness<Target>): void {
  describe(`${name}: findRun contract`, () => {
    const find = (adapter: VendorAdapter<Target>) => {
      if (!adapter.findRun) throw new Error(`${name} has no findRun`);
      return adapter.findRun(harness.request, harness.since);
    };

    it("finds the run carrying our RELAY_RUN_ID, with the handle shape trigger() returns", async () => {
      const { adapter } = harness.createAdapter();
      harness.acceptsTrigger("101");
      const triggered = await adapter.trigger(harness.request);
      harness.listsRuns([{ runId: "102", relayRunId: OUR_RELAY_RUN_ID }]);
      const found = await find(adapter);
      expect(found?.runId).toBe("102");
      expect(Object.keys(found!).sort()).toEqual(Object.keys(triggered).sort());
      expect(Object.keys(found!.extra ?? {}).sort()).toEqual(Object.keys(triggered.extra ?? {}).sort());
    });

    it("answers null when the vendor lists no run", async () => {
      const { adapter } = harness.createAdapter();
      harness.listsRuns([]);
      await expect(find(adapter)).resolves.toBeNull();
    });

    it("answers null when the only runs carry another RELAY_RUN_ID", async () => {
      const { adapter } = harness.createAdapter();
      harness.listsRuns([{ runId: "103", relayRunId: "4712" }]);
      await expect(find(adapter)).resolves.toBeNull();
    });

    it("picks ours among several candidates", async () => {
      const { adapter } = harness.createAdapter();
      harness.listsRuns([
        { runId: "106", relayRunId: "4720" },
        { runId: "105", relayRunId: OUR_RELAY_RUN_ID },
        { runId: "104", relayRunId: "4705" },
      ]);
      expect((await find(adapter))?.runId).toBe("105");
    });

    it("turns the vendor's error body into a VendorError", async () => {
      const { adapter } = harness.createAdapter();
      harness.listFails.setup();
      const error = await find(adapter).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(VendorError);
      expect(error).toMatchObject({ vendor: harness.vendor, operation: "findRun", ambiguous: false });
      if (harness.listFails.status !== undefined) expect((error as VendorError).status).toBe(harness.listFails.status);
      for (const text of harness.listFails.mustMention) expect((error as VendorError).message).toContain(text);
    });
  });
}
