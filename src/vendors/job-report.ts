import { errorMessage, VendorError } from "../errors.js";
import { logTailWithin } from "./log-tail.js";
import type { JobEntry, JobStatus } from "./types.js";

/** Logs read per failed run: each is one more vendor call, and the check has room for only so many tails. */
export const MAX_JOB_LOGS = 5;
/**
 * How much of the end of a failed job's log annotation patterns see. The error lines are at the end; a whole
 * multi-megabyte log would cost time for every pattern and never fit in a check anyway.
 */
export const LOG_EXCERPT_CHARS = 256 * 1024;

/** One job, and how to read its log when it failed (absent: the vendor offers no log for it). */
export interface JobWithLog {
  entry: JobEntry;
  readLog?: () => Promise<string | null>;
}

/**
 * Reads the logs of the first MAX_JOB_LOGS failed jobs, one after the other, and keeps their tails and
 * excerpts. A log that cannot be read (a VendorError) leaves a note on its job; the table is still worth
 * showing. Any other error (a bug) is thrown.
 */
export async function withLogTails(jobs: readonly JobWithLog[], clean: (log: string) => string = stripTerminalCodes): Promise<JobEntry[]> {
  let reads = 0;
  const out: JobEntry[] = [];
  for (const { entry, readLog } of jobs) {
    if (entry.status !== "failure") {
      out.push(entry);
      continue;
    }
    if (!readLog) {
      out.push(entry);
      continue;
    }
    if (reads >= MAX_JOB_LOGS) {
      out.push({ ...entry, logNote: `log not read: only the first ${MAX_JOB_LOGS} failed jobs' logs are read` });
      continue;
    }
    reads++;
    try {
      const log = await readLog();
      const text = clean(log ?? "").trimEnd();
      out.push(text === "" ? { ...entry, logNote: "the job left no log" } : { ...entry, logTail: logTailWithin(text), logExcerpt: text.slice(-LOG_EXCERPT_CHARS) });
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      out.push({ ...entry, logNote: `the log could not be read: ${errorMessage(error)}` });
    }
  }
  return out;
}

/** Seconds between two instants (ISO strings, epoch ms or epoch seconds already converted to ms). */
export function secondsBetween(start: number | undefined, end: number | undefined): number | undefined {
  if (start === undefined || end === undefined || !Number.isFinite(start) || !Number.isFinite(end) || start <= 0 || end < start) return undefined;
  return Math.round((end - start) / 1000);
}

export function epochMsOf(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const ms = typeof value === "number" || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Pure: a vendor word to the neutral job vocabulary, through a table of lower-case words. */
export function jobStatusFrom(word: string | null | undefined, table: Readonly<Record<string, JobStatus>>): JobStatus {
  return table[(word ?? "").trim().toLowerCase()] ?? "unknown";
}

/** Terminal colour codes and GitLab's collapsible-section markers: noise in a check. */
export function stripTerminalCodes(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "").replace(/section_(start|end):\d+:[^\r\n]*\r?/g, "");
}
