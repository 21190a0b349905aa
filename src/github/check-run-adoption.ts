import type { Octokit } from "./octokit.js";

export interface CheckRunSeen {
  id: number;
  externalId: string | null;
  status: string;
  annotationsCount: number;
}

export interface AdoptionPlan {
  adopt: CheckRunSeen | null;
  /** Our other check runs that are not completed: completed as duplicates so none stays queued on the commit. */
  complete: CheckRunSeen[];
}

/**
 * Pure: among the commit's check runs of our name, ours are those carrying our external_id. The one we already
 * write to (`keep`) stays; without one, the oldest is adopted. Every other open one is a duplicate.
 */
export function planAdoption(seen: readonly CheckRunSeen[], externalId: string, keep: number | null = null): AdoptionPlan {
  const ours = seen.filter((run) => run.externalId === externalId).sort((a, b) => a.id - b.id);
  const adopt = (keep === null ? ours[0] : ours.find((run) => run.id === keep)) ?? null;
  return { adopt, complete: ours.filter((run) => run !== adopt && run.id !== keep && run.status !== "completed") };
}

/** Pages of 100 read at most: a commit with more than 300 check runs of one name is not one we made. */
const LOOKUP_PAGES = 3;

interface AdoptionTarget {
  owner: string;
  repo: string;
  sha: string;
  name: string;
  externalId: string;
}

/**
 * After a create whose answer was lost: finds the check runs carrying our external_id on the commit, completes
 * every open one but the one to keep as a duplicate (neutral), and returns the one to keep: `keep` when we
 * already write to one, otherwise the oldest found, or null when the create never landed.
 */
export async function adoptOwnCheckRun(octokit: Octokit, target: AdoptionTarget, keep: number | null = null): Promise<CheckRunSeen | null> {
  const plan = planAdoption(await listCheckRunsNamed(octokit, target), target.externalId, keep);
  const keptId = plan.adopt?.id ?? keep;
  for (const duplicate of plan.complete) {
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: duplicate.id,
      status: "completed",
      conclusion: "neutral",
      completed_at: new Date().toISOString(),
      output: {
        title: `Duplicate of check run ${keptId}`,
        summary: `pipeline-relay created this check run twice after losing GitHub's answer; check run ${keptId} reports this pipeline.`,
      },
    });
  }
  return plan.adopt;
}

async function listCheckRunsNamed(octokit: Octokit, target: AdoptionTarget): Promise<CheckRunSeen[]> {
  const seen: CheckRunSeen[] = [];
  let pages = 0;
  const iterator = octokit.paginate.iterator(octokit.rest.checks.listForRef, {
    owner: target.owner,
    repo: target.repo,
    ref: target.sha,
    check_name: target.name,
    filter: "all",
    per_page: 100,
  });
  for await (const page of iterator) {
    for (const run of page.data) {
      seen.push({ id: run.id, externalId: run.external_id ?? null, status: run.status, annotationsCount: run.output?.annotations_count ?? 0 });
    }
    if (++pages >= LOOKUP_PAGES) break;
  }
  return seen;
}
