import type { RelayStore, RunRecord } from "../storage/types.js";
import { failsOnlyOnKnownFlaky, KNOWN_FLAKY_LIMIT } from "./flaky-tests.js";

/**
 * For a `/retry`: a sentence for the new run's check when the run retried failed only on tests known to be
 * flaky in this repository's pipeline (any commit), else "". Read from the store; nothing is written.
 */
export async function knownFlakyRetryNote(store: RelayStore, previous: RunRecord): Promise<string> {
  if (previous.state !== "failure" && previous.state !== "success") return "";
  const uploads = await store.resultsFor(previous.id);
  if (uploads.length === 0) return "";
  const known = (await store.flakiestTests(previous.owner, previous.repo, KNOWN_FLAKY_LIMIT)).filter((test) => test.pipeline === previous.pipeline);
  if (!failsOnlyOnKnownFlaky(uploads, known)) return "";
  const names = [...new Set(uploads.flatMap((upload) => upload.failures.map((test) => `\`${test.name.replace(/[`|\s]+/g, " ").slice(0, 120)}\``)))];
  const shown = names.slice(0, 5).join(", ") + (names.length > 5 ? ` and ${names.length - 5} more` : "");
  return ` Attempt ${previous.attempt} failed only on tests known to be flaky here (${shown}).`;
}
