import type { PipelineRun } from "./schema.js";

export interface FlowJob {
  id?: string;
  name: string;
  stage: string;
  status: string;
  endTime?: number;
}

/** Every job of a run, in stage order. */
export function jobsOf(run: PipelineRun): FlowJob[] {
  return (run.stages ?? []).flatMap((stage, index) => {
    const stageName = stage.stageInfo?.name ?? stage.name ?? `stage ${index + 1}`;
    return (stage.stageInfo?.jobs ?? []).map((job) => ({
      id: job.id === null || job.id === undefined ? undefined : String(job.id),
      name: job.name ?? (job.id === null || job.id === undefined ? "(unnamed job)" : `job ${job.id}`),
      stage: stageName,
      // Flow's docs write statuses in capitals but never say case matters: `Fail` is FAIL.
      status: (job.status ?? "").toUpperCase(),
      endTime: job.endTime ?? undefined,
    }));
  });
}

const SHA = /^[0-9a-f]{7,40}$/i;
/** `commit` per vendor-apis §3; `commitId` is what Flow's webhook payload calls it. Neither is in a verified example. */
const COMMIT_KEYS = ["commit", "commitId"] as const;

/**
 * The commit Flow checked out for our repository, from `sources[].data`. With several sources only the one
 * whose `repo` is our repository URL counts; a short sha that prefixes the GitHub sha is widened to it.
 */
export function builtShaOf(run: PipelineRun, expected: { repositoryUrl?: string; sha?: string }): string | undefined {
  const sources = (run.sources ?? []).map((source) => source.data ?? {});
  const mine = expected.repositoryUrl
    ? sources.filter((data) => typeof data.repo === "string" && sameRepository(data.repo, expected.repositoryUrl!))
    : [];
  const candidates = mine.length > 0 ? mine : sources.length === 1 ? sources : [];
  for (const data of candidates) {
    const commit = COMMIT_KEYS.map((key) => data[key]).find((value): value is string => typeof value === "string" && SHA.test(value));
    if (!commit) continue;
    const lower = commit.toLowerCase();
    return expected.sha && expected.sha.toLowerCase().startsWith(lower) ? expected.sha : lower;
  }
  return undefined;
}

/** Clone URLs that differ only in scheme, credentials, case, a trailing slash or `.git` name the same repository. */
export function sameRepository(a: string, b: string): boolean {
  const normal = (url: string) =>
    url
      .trim()
      .toLowerCase()
      .replace(/^[a-z+]+:\/\//, "")
      .replace(/^[^@/]+@/, "")
      .replace(/\/+$/, "")
      .replace(/\.git$/, "");
  return normal(a) === normal(b);
}

/**
 * Jobs we asked Flow to retry, with the end time they had then. Until such a job has changed, the run's
 * FAIL is the old result, not the retry's: encoded as `id@endTime,…` in the run handle.
 */
export function encodeRetried(jobs: readonly FlowJob[]): string {
  return jobs.map((job) => `${job.id}@${job.endTime ?? ""}`).join(",");
}

export function retryNotPickedUp(run: PipelineRun, retried: string | undefined): FlowJob[] {
  if (!retried) return [];
  const jobs = new Map(jobsOf(run).map((job) => [job.id, job]));
  return retried.split(",").flatMap((entry) => {
    const [id, endTime] = entry.split("@");
    const job = jobs.get(id);
    // A job Flow replaced (new id) or restarted (new status or end time) has picked the retry up.
    return job && job.status === "FAIL" && String(job.endTime ?? "") === endTime ? [job] : [];
  });
}
