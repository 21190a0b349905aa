/**
 * The promises issue 10 makes after any fault, checked on what the fakes saw (pure: plain data in, findings out).
 * Each list names the offending trigger, run id or check; every list empty = the app kept every promise.
 */
export interface ExpectedTrigger {
  repository: string;
  sha: string;
  pipeline: string;
}

export interface SeenPipeline {
  variables: Record<string, string>;
  status: string;
}

export interface SeenCheck {
  owner: string;
  repo: string;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  output?: { title?: unknown };
}

export interface Findings {
  /** Expected triggers with no vendor pipeline. */
  lostTriggers: string[];
  /** RELAY_RUN_IDs with more than one vendor pipeline. */
  duplicateRunIds: string[];
  /** `repository@sha pipeline` with more than one vendor pipeline. */
  duplicateTriggers: string[];
  /** Expected triggers with no check run (and no commit status) on the commit. */
  missingChecks: string[];
  /** `repository@sha name` with more than one check run. */
  duplicateChecks: string[];
  /** Check runs that are not completed. */
  unfinishedChecks: string[];
  /** Vendor pipelines that are not final. */
  unfinishedPipelines: string[];
}

const FINAL_PIPELINE = new Set(["success", "failed", "canceled", "skipped"]);

export function triggerKey(trigger: ExpectedTrigger): string {
  return `${trigger.repository}@${trigger.sha} ${trigger.pipeline}`;
}

export function findViolations(expected: readonly ExpectedTrigger[], pipelines: readonly SeenPipeline[], checks: readonly SeenCheck[]): Findings {
  const perRunId = countBy(pipelines, (p) => p.variables.RELAY_RUN_ID ?? "(no RELAY_RUN_ID)");
  const perTrigger = countBy(pipelines, (p) =>
    triggerKey({ repository: p.variables.RELAY_REPOSITORY ?? "?", sha: p.variables.RELAY_SHA ?? "?", pipeline: p.variables.RELAY_PIPELINE ?? "?" }),
  );
  const ours = checks.filter((check) => check.name.startsWith("pipeline-relay/") && check.name !== "pipeline-relay/config");
  const perCheck = countBy(ours, (check) => `${check.owner}/${check.repo}@${check.head_sha} ${check.name}`);
  const checkKeyOf = (trigger: ExpectedTrigger) => `${trigger.repository}@${trigger.sha} pipeline-relay/${trigger.pipeline}`;
  return {
    // A lost trigger names what its check said, if it has one, so a failure explains itself.
    lostTriggers: expected
      .filter((trigger) => !perTrigger.has(triggerKey(trigger)))
      .map((trigger) => {
        const check = ours.find((candidate) => `${candidate.owner}/${candidate.repo}@${candidate.head_sha} ${candidate.name}` === checkKeyOf(trigger));
        return check ? `${triggerKey(trigger)} (check: ${check.conclusion ?? check.status}, ${String(check.output?.title ?? "")})` : triggerKey(trigger);
      }),
    duplicateRunIds: [...perRunId].filter(([, count]) => count > 1).map(([id, count]) => `${id} x${count}`),
    duplicateTriggers: [...perTrigger].filter(([, count]) => count > 1).map(([key, count]) => `${key} x${count}`),
    missingChecks: expected.filter((trigger) => !perCheck.has(checkKeyOf(trigger))).map(triggerKey),
    duplicateChecks: [...perCheck].filter(([, count]) => count > 1).map(([key, count]) => `${key} x${count}`),
    unfinishedChecks: ours.filter((check) => check.status !== "completed").map((check) => `${check.owner}/${check.repo}@${check.head_sha} ${check.name}: ${check.status}`),
    unfinishedPipelines: pipelines
      .filter((p) => !FINAL_PIPELINE.has(p.status))
      .map((p) => `${p.variables.RELAY_REPOSITORY ?? "?"} run ${p.variables.RELAY_RUN_ID ?? "?"}: ${p.status}`),
  };
}

export const NO_VIOLATIONS: Findings = {
  lostTriggers: [],
  duplicateRunIds: [],
  duplicateTriggers: [],
  missingChecks: [],
  duplicateChecks: [],
  unfinishedChecks: [],
  unfinishedPipelines: [],
};

/** True when every expected trigger has one pipeline and one completed check, and nothing is duplicated or left open. */
export function isSettled(findings: Findings): boolean {
  return Object.values(findings).every((list) => list.length === 0);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
