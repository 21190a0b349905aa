import { commitStatusState } from "../runs/conclusion.js";
import { fitCheckView, fitStatusDescription } from "../reporting/github-limits.js";
import type { CheckView } from "../reporting/render-report.js";
import type { CheckAnnotation } from "../reporting/render-tests.js";
import type { SecretMasker } from "../secrets.js";
import { adoptOwnCheckRun } from "./check-run-adoption.js";
import { createOutcomeOf, isPermissionRefusal, type CreateOutcome } from "./github-failure.js";
import { statusOf, type Octokit } from "./octokit.js";

export interface ReportTarget {
  owner: string;
  repo: string;
  sha: string;
  /** Check-run name and commit-status context. */
  name: string;
  mode: "checks" | "statuses";
  checkRunId: number | null;
  detailsUrl?: string | null;
  /** Our run id: sent as the check run's external_id, so a lost create can be found again and adopted. */
  externalId?: string;
  /**
   * A create was sent before and its outcome was unknown (the run row's checkCreateSentAt is set): look at the
   * commit's check runs carrying our external_id, adopt one before creating another, and complete any other
   * open one as a duplicate (also when checkRunId is already known). See `keepCheckCreateInDoubt`.
   */
  lookupFirst?: boolean;
  /** Called just before the create is sent, so the caller can store checkCreateSentAt durably first. */
  beforeCreate?: () => Promise<void> | void;
}

export interface PublishResult {
  mode: "checks" | "statuses";
  checkRunId: number | null;
  /**
   * What happened to a check-run create in this call: "created", "adopted" (found after an earlier lost answer),
   * or "none" (updated an existing check run, or wrote a commit status).
   */
  create: "created" | "adopted" | "none";
}

/**
 * Thrown when writing a check run failed. `createOutcome` says whether a create sent in this call may have
 * been carried out ("unknown": keep checkCreateSentAt and look up first next time) or certainly was not
 * ("refused", or "not-sent" when the failure came before the create).
 */
export class PublishCheckError extends Error {
  /** GitHub's HTTP status, so callers that tell transient from permanent failures by status keep working. */
  readonly status: number | undefined;

  constructor(
    readonly createOutcome: CreateOutcome | "not-sent",
    override readonly cause: unknown,
  ) {
    super(`writing the check run failed (create ${createOutcome}): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "PublishCheckError";
    this.status = statusOf(cause);
  }
}

/**
 * Pure: whether the run row keeps checkCreateSentAt after a publish. A create whose answer was lost stays in
 * doubt, and every publish looks the commit's check runs up, until the run's completed view has been written
 * with that lookup: GitHub's list may show a late duplicate only after a while, and the completing write is
 * the last chance to close it. A create answered normally leaves nothing in doubt.
 */
export function keepCheckCreateInDoubt(lookedUp: boolean, outcome: PublishResult | PublishCheckError, viewCompleted: boolean): boolean {
  if (outcome instanceof PublishCheckError) return outcome.createOutcome === "unknown" || lookedUp;
  if (outcome.mode === "statuses") return false;
  return lookedUp && !viewCompleted;
}

/** GitHub takes at most 50 annotations per check-run request; more are sent in further updates. */
export const ANNOTATIONS_PER_REQUEST = 50;
/**
 * Requests whose repetition is not harmless: a create (a second check run) and any write carrying annotations
 * (GitHub appends them). Octokit's retry plugin reads `request.retries` per request and re-sends nothing at 0.
 */
const NEVER_RESENT = { retries: 0 } as const;

/**
 * Writes one view to GitHub: creates (or adopts) or updates the check run, or sets the commit status.
 * An installation without the checks permission (403) falls back to a commit status with the same context;
 * statuses overwrite by context, so repeating one is harmless.
 */
export async function publishReport(octokit: Octokit, target: ReportTarget, view: CheckView, masker: SecretMasker): Promise<PublishResult> {
  // Last guard before GitHub: masked, then fitted to GitHub's limits (a field too long fails the whole write).
  const masked = fitCheckView(maskView(view, masker));
  if (target.mode === "checks") {
    const attempt = new CheckRunWrite(octokit, target, masked);
    try {
      return await attempt.run();
    } catch (error) {
      if (!isPermissionRefusal(error)) throw new PublishCheckError(attempt.createSent ? createOutcomeOf(error) : "not-sent", error);
      // A create refused with 403 was not carried out: falling back to a status leaves nothing in doubt.
    }
  }
  await octokit.rest.repos.createCommitStatus({
    owner: target.owner,
    repo: target.repo,
    sha: target.sha,
    context: target.name,
    state: commitStatusState(masked.status, masked.conclusion),
    description: fitStatusDescription(masked.title),
    ...(target.detailsUrl ? { target_url: target.detailsUrl } : {}),
  });
  return { mode: "statuses", checkRunId: null, create: "none" };
}

class CheckRunWrite {
  /** Set once the create request has been handed to Octokit: from then on its outcome may be unknown. */
  createSent = false;
  readonly #output: { title: string; summary: string; text?: string };
  readonly #annotations: CheckAnnotation[];

  constructor(
    private readonly octokit: Octokit,
    private readonly target: ReportTarget,
    private readonly view: CheckView,
  ) {
    this.#output = { title: view.title, summary: view.summary, ...(view.text ? { text: view.text } : {}) };
    this.#annotations = view.annotations ?? [];
  }

  async run(): Promise<PublishResult> {
    const { target } = this;
    if (target.checkRunId !== null) {
      // A create once in doubt may surface late (GitHub's lists can lag): sweep its duplicates too.
      const known = target.lookupFirst && target.externalId ? await adoptOwnCheckRun(this.octokit, { ...target, externalId: target.externalId }, target.checkRunId) : null;
      await this.#update(target.checkRunId, known ? known.annotationsCount : await this.#annotationsOn(target.checkRunId));
      return { mode: "checks", checkRunId: target.checkRunId, create: "none" };
    }
    if (target.lookupFirst && target.externalId) {
      const adopted = await adoptOwnCheckRun(this.octokit, { ...target, externalId: target.externalId });
      if (adopted) {
        await this.#update(adopted.id, adopted.annotationsCount);
        return { mode: "checks", checkRunId: adopted.id, create: "adopted" };
      }
    }
    const id = await this.#create();
    await this.#sendAnnotationsFrom(id, Math.min(ANNOTATIONS_PER_REQUEST, this.#annotations.length));
    return { mode: "checks", checkRunId: id, create: "created" };
  }

  async #create(): Promise<number> {
    const { target } = this;
    const first = this.#annotations.slice(0, ANNOTATIONS_PER_REQUEST);
    await target.beforeCreate?.();
    this.createSent = true;
    const response = await this.octokit.rest.checks.create({
      ...this.#stateFields(),
      name: target.name,
      head_sha: target.sha,
      output: { ...this.#output, ...(first.length > 0 ? { annotations: first } : {}) },
      request: NEVER_RESENT,
    });
    return response.data.id;
  }

  /**
   * Updates state and output. GitHub appends annotations on every update, so only those it does not have yet
   * are sent: `alreadyThere` is the check run's annotations_count, and annotations are always sent in the
   * same order, so the first `alreadyThere` of ours are the ones GitHub holds.
   */
  async #update(checkRunId: number, alreadyThere: number): Promise<void> {
    const next = this.#annotations.slice(alreadyThere, alreadyThere + ANNOTATIONS_PER_REQUEST);
    await this.octokit.rest.checks.update({
      ...this.#stateFields(),
      check_run_id: checkRunId,
      output: { ...this.#output, ...(next.length > 0 ? { annotations: next } : {}) },
      ...(next.length > 0 ? { request: NEVER_RESENT } : {}),
    });
    await this.#sendAnnotationsFrom(checkRunId, alreadyThere + next.length);
  }

  async #sendAnnotationsFrom(checkRunId: number, start: number): Promise<void> {
    for (let from = start; from < this.#annotations.length; from += ANNOTATIONS_PER_REQUEST) {
      await this.octokit.rest.checks.update({
        owner: this.target.owner,
        repo: this.target.repo,
        check_run_id: checkRunId,
        output: { ...this.#output, annotations: this.#annotations.slice(from, from + ANNOTATIONS_PER_REQUEST) },
        request: NEVER_RESENT,
      });
    }
  }

  /** How many annotations the check run holds: one read, only when we have annotations to send. */
  async #annotationsOn(checkRunId: number): Promise<number> {
    if (this.#annotations.length === 0) return 0;
    const { data } = await this.octokit.rest.checks.get({ owner: this.target.owner, repo: this.target.repo, check_run_id: checkRunId });
    return data.output?.annotations_count ?? 0;
  }

  #stateFields() {
    const { target, view } = this;
    return {
      owner: target.owner,
      repo: target.repo,
      status: view.status,
      ...(target.detailsUrl ? { details_url: target.detailsUrl } : {}),
      ...(target.externalId ? { external_id: target.externalId } : {}),
      ...(view.status === "completed" ? { conclusion: view.conclusion, completed_at: new Date().toISOString() } : {}),
    };
  }
}

function maskView(view: CheckView, masker: SecretMasker): CheckView {
  return {
    ...view,
    title: masker.mask(view.title),
    summary: masker.mask(view.summary),
    ...(view.text ? { text: masker.mask(view.text) } : {}),
    ...(view.annotations ? { annotations: view.annotations.map((a) => ({ ...a, title: masker.mask(a.title), message: masker.mask(a.message) })) } : {}),
  };
}

