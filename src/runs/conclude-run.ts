import { errorMessage } from "../errors.js";
import { combineUploads } from "../results/combine-uploads.js";
import type { FailedTest } from "../results/parse-junit.js";
import type { Fence, RunPatch, RunRecord } from "../storage/types.js";
import type { JobReport, RunSnapshot, TestCaseOutcomes } from "../vendors/types.js";
import { withoutExcerpts } from "../reporting/render-jobs.js";
import { annotationsFromLogs } from "../reporting/log-annotations.js";
import { findFlakyTests, outcomesOf, type AttemptOutcomes } from "../results/flaky-tests.js";
import { judgeTests, type TestJudgement } from "./judge-tests.js";
import type { RelayContext } from "./relay-context.js";
import type { RenderExtras, RunService } from "./run-service.js";
import { handleOf, readStoredRequest } from "./stored-request.js";

/**
 * Turns a finished vendor run into a check conclusion: test results uploaded to pipeline-relay win over the
 * vendor's report; with a threshold and no results yet, a green run waits a while for an upload.
 */
export class RunConcluder {
  constructor(
    private readonly ctx: RelayContext,
    private readonly runs: RunService,
  ) {}

  /** The vendor reported a final state (`patch` carries the poll's own changes). */
  async vendorFinished(run: RunRecord, snapshot: RunSnapshot, patch: RunPatch, extras: RenderExtras, fence: Fence): Promise<void> {
    const now = this.ctx.clock();
    const final: RunPatch = { ...patch, state: snapshot.state, startedAt: patch.startedAt ?? run.startedAt ?? run.createdAt, finishedAt: now, nextPollAt: null };
    const uploads = await this.ctx.store.resultsFor(run.id);
    const uploaded = combineUploads(uploads);
    // Without uploads, the vendor's test cases tell flaky tests: read for a failed run (a later attempt may pass)
    // and for a passing later attempt (an earlier one may have failed), not for every first green run.
    const listsCases = uploads.length === 0 && (snapshot.state === "failure" || (snapshot.state === "success" && run.attempt > 1));
    const testOutcomes = listsCases ? await this.#listTestCases(run) : undefined;
    if (testOutcomes) {
      final.testOutcomes = JSON.stringify(testOutcomes);
      run = { ...run, testOutcomes: final.testOutcomes };
    }
    const hasOutcomes = uploaded !== null || testOutcomes !== undefined;
    if (snapshot.state !== "success") {
      const judgement = uploaded ? judgeTests(uploaded.summary, readStoredRequest(run).threshold) : undefined;
      const failure = snapshot.state === "failure" ? await this.#failureExtras(run) : {};
      const flaky = hasOutcomes ? await this.#flakyExtras(run) : {};
      // Kept on the row, so a later upload re-renders the check with them (see resultsArrived).
      const kept = Object.keys(failure).length > 0 ? { reportExtras: JSON.stringify(failure) } : {};
      await this.runs.update(run, { ...final, ...kept }, { ...extras, ...triggerOf(run), judgement, ...failure, ...flaky, failedTests: uploaded?.failures }, fence);
      return;
    }
    if (uploaded) {
      await this.runs.update(run, final, { ...extras, ...triggerOf(run), ...this.#judgeUploads(run, uploaded), ...(await this.#flakyExtras(run)) }, fence);
      return;
    }
    const vendorReport = await this.#vendorJudgement(run);
    if (vendorReport.summary || !this.#waitsForUploads(run)) {
      const flaky = hasOutcomes ? await this.#flakyExtras(run) : {};
      await this.runs.update(run, final, { ...extras, ...triggerOf(run), judgement: vendorReport, ...flaky }, fence);
      return;
    }
    const waitUntil = now + this.ctx.operator.results.wait_minutes * 60_000;
    await this.runs.update(
      run,
      { ...final, state: "awaiting_results", finishedAt: null, resultsWaitUntil: waitUntil, nextPollAt: now + this.ctx.operator.tracker.poll_initial_seconds * 1000 },
      extras,
      fence,
    );
  }

  /** A run waiting for uploads: judge as soon as some arrived, fail the threshold when the wait is over. */
  async checkAwaiting(run: RunRecord, fence: Fence): Promise<void> {
    const now = this.ctx.clock();
    const uploaded = combineUploads(await this.ctx.store.resultsFor(run.id));
    const final: RunPatch = { state: "success", finishedAt: now, nextPollAt: null, resultsWaitUntil: null };
    if (uploaded) {
      await this.runs.update(run, final, { ...triggerOf(run), ...this.#judgeUploads(run, uploaded), ...(await this.#flakyExtras(run)) }, fence);
    } else if (now >= (run.resultsWaitUntil ?? 0)) {
      const minutes = this.ctx.operator.results.wait_minutes;
      const judgement = judgeTests(null, readStoredRequest(run).threshold);
      const reason = `no test results received within ${minutes} minutes of the run's end (upload them to RELAY_RESULTS_URL; see the README)`;
      await this.runs.update(run, final, { ...triggerOf(run), judgement: { ...judgement, reason } }, fence);
    } else {
      await this.ctx.store.updateRun(run.id, { nextPollAt: now + this.ctx.operator.tracker.poll_max_seconds * 1000 }, now, fence);
    }
  }

  /** An upload arrived: a waiting run concludes now; a finished run is judged again with it. */
  async resultsArrived(run: RunRecord): Promise<void> {
    // A waiting run belongs to the vendor lane: make it due now rather than writing beside its lease.
    if (run.state === "awaiting_results") await this.ctx.store.updateRun(run.id, { nextPollAt: this.ctx.clock() }, this.ctx.clock());
    else if (run.state === "success" || run.state === "failure") {
      const uploaded = combineUploads(await this.ctx.store.resultsFor(run.id));
      if (uploaded) {
        const kept = keptExtras(run);
        await this.runs.update(run, {}, { ...kept, ...triggerOf(run), ...this.#judgeUploads(run, uploaded), ...(await this.#flakyExtras(run)) });
      }
    }
  }

  #judgeUploads(run: RunRecord, uploaded: NonNullable<ReturnType<typeof combineUploads>>): { judgement: TestJudgement; failedTests: FailedTest[] } {
    return { judgement: judgeTests(uploaded.summary, readStoredRequest(run).threshold), failedTests: uploaded.failures };
  }

  /** Waiting makes sense only when a threshold applies and pipelines were told where to upload. */
  #waitsForUploads(run: RunRecord): boolean {
    const { results } = this.ctx.operator;
    return readStoredRequest(run).threshold !== undefined && results.public_url !== undefined && results.wait_minutes > 0;
  }

  async #vendorJudgement(run: RunRecord): Promise<TestJudgement> {
    const { adapter } = this.ctx.adapters.get(run.connection);
    const request = readStoredRequest(run);
    try {
      return judgeTests(await adapter.getTestSummary(handleOf(run), request.trigger.target), request.threshold);
    } catch (error) {
      const judgement = judgeTests(null, request.threshold);
      const reason = `the test report could not be read (${this.ctx.operator.masker.mask(errorMessage(error))})`;
      return { ...judgement, reason: judgement.verdict === "fail" ? `${reason}; the threshold cannot be checked` : reason };
    }
  }

  /**
   * Tests that failed in one attempt and passed in another of this pipeline on this commit (uploads), noted in
   * the repository's flaky counts. A store failure costs the list, not the conclusion.
   */
  async #flakyExtras(run: RunRecord): Promise<RenderExtras> {
    try {
      const attempts = (await this.ctx.store.runsForCommit(run.owner, run.repo, run.sha)).filter((other) => other.pipeline === run.pipeline);
      if (attempts.length < 2) return {};
      const outcomes = [];
      for (const attempt of attempts) {
        const current = attempt.id === run.id ? run : attempt;
        const uploads = await this.ctx.store.resultsFor(attempt.id);
        outcomes.push(uploads.length > 0 ? outcomesOf(attempt.attempt, uploads) : vendorOutcomesOf(current));
      }
      const flakyTests = findFlakyTests(outcomes);
      if (flakyTests.length === 0) return {};
      await this.ctx.store.recordFlakyTests({ owner: run.owner, repo: run.repo, pipeline: run.pipeline, sha: run.sha, tests: flakyTests }, this.ctx.clock());
      return { flakyTests };
    } catch (error) {
      this.ctx.log.warn({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "could not look for flaky tests");
      return {};
    }
  }

  /** The vendor report's test cases, where the adapter can list them; a failed read costs only the flaky list. */
  async #listTestCases(run: RunRecord): Promise<TestCaseOutcomes | undefined> {
    const { adapter } = this.ctx.adapters.get(run.connection);
    if (!adapter.listTestCases) return undefined;
    try {
      return (await adapter.listTestCases(handleOf(run), readStoredRequest(run).trigger.target)) ?? undefined;
    } catch (error) {
      this.ctx.log.warn({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "could not list the run's test cases");
      return undefined;
    }
  }

  /** The job table of a failed run, or the older one-job failure detail from adapters without one. */
  async #failureExtras(run: RunRecord): Promise<RenderExtras> {
    const report = await this.#describeJobs(run);
    if (report) {
      const logs = report.jobs.flatMap((job) => (job.logExcerpt ? [{ jobName: job.name, text: job.logExcerpt }] : []));
      const matched = annotationsFromLogs(logs, readStoredRequest(run).annotations ?? []);
      return {
        jobs: withoutExcerpts(report),
        logAnnotations: matched.annotations,
        droppedLogAnnotations: matched.dropped,
        ...(matched.stoppedEarly ? { logAnnotationNote: matched.stoppedEarly } : {}),
      };
    }
    return { failureDetail: await this.#describeFailure(run) };
  }

  async #describeJobs(run: RunRecord): Promise<JobReport | undefined> {
    const { adapter } = this.ctx.adapters.get(run.connection);
    if (!adapter.describeJobs) return undefined;
    try {
      return (await adapter.describeJobs(handleOf(run), readStoredRequest(run).trigger.target)) ?? undefined;
    } catch (error) {
      this.ctx.log.warn({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "could not read the run's jobs");
      return undefined;
    }
  }

  async #describeFailure(run: RunRecord): Promise<string | undefined> {
    const { adapter } = this.ctx.adapters.get(run.connection);
    if (!adapter.describeFailure) return undefined;
    try {
      return (await adapter.describeFailure(handleOf(run), readStoredRequest(run).trigger.target)) ?? undefined;
    } catch (error) {
      this.ctx.log.warn({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "could not read the failure detail");
      return undefined;
    }
  }
}

/** Who started the run and on which ref, from the stored request. */
export function triggerOf(run: RunRecord): RenderExtras {
  try {
    const request = readStoredRequest(run);
    return { trigger: { event: request.event, ref: run.ref, ...(request.actor ? { actor: request.actor } : {}) } };
  } catch {
    return {};
  }
}

/** What a failed run's check showed beyond its row (kept as JSON by vendorFinished). */
function keptExtras(run: RunRecord): RenderExtras {
  if (!run.reportExtras) return {};
  try {
    return JSON.parse(run.reportExtras) as RenderExtras;
  } catch {
    return {};
  }
}

/** An attempt's outcomes from the vendor report its row keeps (none when it kept none). */
function vendorOutcomesOf(run: RunRecord): AttemptOutcomes {
  try {
    const outcomes = run.testOutcomes ? (JSON.parse(run.testOutcomes) as TestCaseOutcomes) : undefined;
    return { attempt: run.attempt, failed: outcomes?.failed ?? [], passed: outcomes?.passed ?? [] };
  } catch {
    return { attempt: run.attempt, failed: [], passed: [] };
  }
}
