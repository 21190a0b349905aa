import { VendorError } from "../../src/errors.js";
import type { RunHandle, RunState, TestSummary, TriggerRequest, VendorAdapter } from "../../src/vendors/types.js";

/**
 * What every vendor adapter must do, whatever its API. A vendor's contract test supplies a harness
 * that sets up nock answers for each step; the suite drives the adapter and checks the neutral results.
 */
export interface ContractHarness<Target> {
  vendor: string;
  /** The credential the adapter was given: it must never appear in an error. */
  secret: string;
  createAdapter(): { adapter: VendorAdapter<Target>; logs: string[] };
  request: TriggerRequest<Target>;
  /** nock: the vendor accepts a trigger and answers with a run whose id is `runId`. */
  acceptsTrigger(runId: string): void;
  /** nock: the vendor reports the run with this status word (one request). */
  reportsStatus(runId: string, word: string): void;
  /** Status words for each neutral state the vendor can reach. */
  words: Partial<Record<RunState, string[]>>;
  /** A word the vendor never documented. */
  unknownWord: string;
  /** nock: the vendor accepts a cancel (one or more requests, as the vendor needs). */
  acceptsCancel(runId: string): void;
  /** nock: the vendor accepts a retry; returns the run id the retried run will have. */
  acceptsRetry(runId: string): string;
  /** nock: the test report (or none). null when the vendor has no test-report API. */
  reportsTests: ((runId: string, counts: TestSummary | null) => void) | null;
  /** nock: the trigger fails with the vendor's documented error; `mustMention` must be in the message. */
  rejectsTrigger: Array<{
    label: string;
    setup(): void;
    status?: number;
    mustMention: string[];
    /** Whether the create may have taken effect (5xx, a reset); default: false for answers below 500. */
    ambiguous?: boolean;
  }>;
  /** nock: the status call answers 5xx once, then the word. */
  failsOnceThenReports(runId: string, word: string): void;
  /** nock: the status call answers a body of the wrong shape. */
  reportsMalformed(runId: string): void;
  /** nock: the status call fails at the network level on every attempt. */
  networkFails(runId: string): void;
  /**
   * HTTP 200 answers carrying the vendor's error envelope, one per operation the adapter has: the call
   * that operation makes (the one named) answers the envelope; the error must quote `mustMention`.
   */
  errorEnvelope: {
    mustMention: string[];
    operations: Partial<Record<EnvelopeOperation, (runId: string) => void>>;
  };
}

export type EnvelopeOperation = "trigger" | "getRun" | "cancel" | "retry" | "getTestSummary" | "describeFailure";

export function describeAdapterContract<Target>(name: string, harness: ContractHarness<Target>): void {
  describe(`${name}: VendorAdapter contract`, () => {
    const handle = (runId: string): RunHandle => ({ runId });

    it("triggers a run and returns its id", async () => {
      const { adapter } = harness.createAdapter();
      harness.acceptsTrigger("101");
      const run = await adapter.trigger(harness.request);
      expect(run.runId).toBe("101");
    });

    const cases = Object.entries(harness.words).flatMap(([state, words]) => (words ?? []).map((word) => [word, state] as const));
    it.each(cases)("maps the status %s to %s", async (word, state) => {
      const { adapter } = harness.createAdapter();
      harness.reportsStatus("101", word);
      const snapshot = await adapter.getRun(handle("101"), harness.request.target);
      expect(snapshot).toMatchObject({ state, vendorStatus: word });
    });

    it("treats an unknown status as running and logs the word once", async () => {
      const { adapter, logs } = harness.createAdapter();
      harness.reportsStatus("101", harness.unknownWord);
      harness.reportsStatus("101", harness.unknownWord);
      expect((await adapter.getRun(handle("101"), harness.request.target)).state).toBe("running");
      expect((await adapter.getRun(handle("101"), harness.request.target)).state).toBe("running");
      expect(logs.filter((line) => line.includes(harness.unknownWord))).toHaveLength(1);
    });

    it("cancels a run", async () => {
      const { adapter } = harness.createAdapter();
      harness.acceptsCancel("101");
      await expect(adapter.cancel(handle("101"), harness.request.target)).resolves.toBeUndefined();
    });

    it("retries a run", async () => {
      const { adapter } = harness.createAdapter();
      const expected = harness.acceptsRetry("101");
      const retried = await adapter.retry(handle("101"), harness.request);
      expect(retried.runId).toBe(expected);
      expect(["native", "new-run"]).toContain(retried.mode);
    });

    if (harness.reportsTests) {
      const reportsTests = harness.reportsTests;
      it("reads the test summary", async () => {
        const { adapter } = harness.createAdapter();
        const counts: TestSummary = { total: 10, passed: 8, failed: 1, skipped: 1, errored: 0, source: "" };
        reportsTests("101", counts);
        expect(await adapter.getTestSummary(handle("101"), harness.request.target)).toMatchObject({ total: 10, passed: 8, failed: 1, skipped: 1 });
      });
      it("returns null when the run has no test report", async () => {
        const { adapter } = harness.createAdapter();
        reportsTests("101", null);
        expect(await adapter.getTestSummary(handle("101"), harness.request.target)).toBeNull();
      });
    } else {
      it("has no test-report API and says so with null", async () => {
        const { adapter } = harness.createAdapter();
        expect(await adapter.getTestSummary(handle("101"), harness.request.target)).toBeNull();
      });
    }

    it.each(harness.rejectsTrigger.map((c) => [c.label, c] as const))("turns a vendor error (%s) into a VendorError", async (_label, errorCase) => {
      const { adapter } = harness.createAdapter();
      errorCase.setup();
      const error = await adapter.trigger(harness.request).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VendorError);
      const vendorError = error as VendorError;
      expect(vendorError.vendor).toBe(harness.vendor);
      expect(vendorError.operation).toBe("trigger");
      if (errorCase.status !== undefined) expect(vendorError.status).toBe(errorCase.status);
      if (errorCase.ambiguous !== undefined) expect(vendorError.ambiguous).toBe(errorCase.ambiguous);
      else if (errorCase.status !== undefined && errorCase.status < 500) expect(vendorError.ambiguous).toBe(false);
      for (const text of errorCase.mustMention) expect(vendorError.message).toContain(text);
      expect(vendorError.message).not.toContain(harness.secret);
    });

    it("retries a 5xx answer and then succeeds", async () => {
      const { adapter } = harness.createAdapter();
      const word = harness.words.running![0]!;
      harness.failsOnceThenReports("101", word);
      expect((await adapter.getRun(handle("101"), harness.request.target)).vendorStatus).toBe(word);
    });

    it("names the vendor and the operation when a body has an unexpected shape", async () => {
      const { adapter } = harness.createAdapter();
      harness.reportsMalformed("101");
      await expect(adapter.getRun(handle("101"), harness.request.target)).rejects.toThrow(
        new RegExp(`^${harness.vendor} getRun failed: unexpected response`),
      );
    });

    const envelopeCases = Object.entries(harness.errorEnvelope.operations) as Array<[EnvelopeOperation, (runId: string) => void]>;
    it.each(envelopeCases)("%s: an error envelope in an HTTP 200 answer is an error quoting the vendor", async (operation, setup) => {
      const { adapter } = harness.createAdapter();
      setup("101");
      const calls: Record<EnvelopeOperation, () => Promise<unknown>> = {
        trigger: () => adapter.trigger(harness.request),
        getRun: () => adapter.getRun(handle("101"), harness.request.target),
        cancel: () => adapter.cancel(handle("101"), harness.request.target),
        retry: () => adapter.retry(handle("101"), harness.request),
        getTestSummary: () => adapter.getTestSummary(handle("101"), harness.request.target),
        describeFailure: () => adapter.describeFailure!(handle("101"), harness.request.target),
      };
      const outcome = await calls[operation]().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      if ("error" in outcome) {
        expect(outcome.error).toBeInstanceOf(VendorError);
        expect(outcome.error).toMatchObject({ vendor: harness.vendor, operation, retryable: false });
        for (const text of harness.errorEnvelope.mustMention) expect((outcome.error as VendorError).message).toContain(text);
      } else {
        // Only a failure detail may carry on (the job list is still worth showing), and it must say what the vendor said.
        expect(operation).toBe("describeFailure");
        for (const text of harness.errorEnvelope.mustMention) expect(String(outcome.value)).toContain(text);
      }
    });

    it("reports a network failure as a retryable VendorError", async () => {
      const { adapter } = harness.createAdapter();
      harness.networkFails("101");
      await expect(adapter.getRun(handle("101"), harness.request.target)).rejects.toMatchObject({
        vendor: harness.vendor,
        operation: "getRun",
        retryable: true,
      });
    });
  });
}
