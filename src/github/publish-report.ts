import { commitStatusState } from "../runs/conclusion.js";
import type { CheckView } from "../reporting/render-report.js";
import type { SecretMasker } from "../secrets.js";
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
  /** Our run id, so a re-requested check run leads back to the run. */
  externalId?: string;
  /** A create was sent before and its outcome is unknown: look for our check run (by external_id) first. */
  lookupFirst?: boolean;
}

export interface PublishResult {
  mode: "checks" | "statuses";
  checkRunId: number | null;
}

/** A commit status description is limited to 140 characters. */
const STATUS_DESCRIPTION_LIMIT = 140;
/** GitHub takes at most 50 annotations per check-run request; more are sent in further updates. */
export const ANNOTATIONS_PER_REQUEST = 50;

/**
 * Writes one view to GitHub: creates or updates the check run, or sets the commit status.
 * An installation without the checks permission (403) falls back to a commit status with the same context.
 */
export async function publishReport(octokit: Octokit, target: ReportTarget, view: CheckView, masker: SecretMasker): Promise<PublishResult> {
  const masked = maskView(view, masker);
  if (target.mode === "checks") {
    try {
      return { mode: "checks", checkRunId: await writeCheckRun(octokit, target, masked) };
    } catch (error) {
      if (statusOf(error) !== 403) throw error;
    }
  }
  await octokit.rest.repos.createCommitStatus({
    owner: target.owner,
    repo: target.repo,
    sha: target.sha,
    context: target.name,
    state: commitStatusState(masked.status, masked.conclusion),
    description: shorten(masked.title, STATUS_DESCRIPTION_LIMIT),
    ...(target.detailsUrl ? { target_url: target.detailsUrl } : {}),
  });
  return { mode: "statuses", checkRunId: null };
}

async function writeCheckRun(octokit: Octokit, target: ReportTarget, view: CheckView): Promise<number> {
  const now = new Date().toISOString();
  const output = { title: view.title, summary: view.summary, ...(view.text ? { text: view.text } : {}) };
  const batches = chunk(view.annotations ?? [], ANNOTATIONS_PER_REQUEST);
  const body = {
    owner: target.owner,
    repo: target.repo,
    status: view.status,
    output: { ...output, ...(batches[0] ? { annotations: batches[0] } : {}) },
    ...(target.detailsUrl ? { details_url: target.detailsUrl } : {}),
    ...(target.externalId ? { external_id: target.externalId } : {}),
    ...(view.status === "completed" ? { conclusion: view.conclusion, completed_at: now } : {}),
  };
  let id = target.checkRunId;
  if (id !== null) await octokit.rest.checks.update({ ...body, check_run_id: id });
  else id = (await octokit.rest.checks.create({ ...body, name: target.name, head_sha: target.sha })).data.id;
  // Each update appends its annotations to the ones already on the check run.
  for (const annotations of batches.slice(1)) {
    await octokit.rest.checks.update({ owner: target.owner, repo: target.repo, check_run_id: id, output: { ...output, annotations } });
  }
  return id;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
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

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
