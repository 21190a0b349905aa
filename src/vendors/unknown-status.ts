import type { Logger } from "probot";
import type { RunState } from "./types.js";

/**
 * A status table looked up without regard to case (`FAILED`, `Failed` and `failed` are one word: no
 * vendor documents two words that differ only in case) and by own entries only, so a word such as
 * `constructor` or `__proto__` is just unknown.
 */
export function statusTable<Value>(entries: ReadonlyArray<readonly [string, Value]>): { get(word: string): Value | undefined; words: string[] } {
  const byLowerCase = new Map(entries.map(([word, value]) => [word.toLowerCase(), value] as const));
  return { get: (word) => byLowerCase.get(word.toLowerCase()), words: entries.map(([word]) => word) };
}

export interface StatusReading {
  state: RunState;
  /** Only for a word nobody documented: what the check shows while the run is treated as running. */
  unknownStatusNote?: string;
}

/** Runs remembered for "logged once per run"; past this many the memory starts afresh (a word is then logged again). */
const REMEMBERED_RUNS = 10_000;

/**
 * Maps a vendor status word; a word nobody documented is logged once per run (with the run's link) and
 * treated as still running, so the run ends by its timeout rather than by a wrong guess. The reading
 * carries a note for the check: "GitLab said `xyz`; treating it as running".
 */
export function createStatusReader(vendor: string, displayName: string, map: (word: string) => RunState | undefined, log: Logger) {
  const reported = new Set<string>();
  return (word: string, run: { runId: string; webUrl?: string }): StatusReading => {
    const state = map(word);
    if (state !== undefined) return { state };
    const key = `${run.runId}\u0000${word}`;
    if (!reported.has(key)) {
      if (reported.size >= REMEMBERED_RUNS) reported.clear();
      reported.add(key);
      log.warn({ vendor, vendorStatus: word, runId: run.runId, webUrl: run.webUrl }, "unknown vendor run status; treating it as running until the timeout");
    }
    return { state: "running", unknownStatusNote: unknownStatusNote(displayName, word) };
  };
}

/** Pure: the check's words for an undocumented status. */
export function unknownStatusNote(displayName: string, word: string): string {
  const shown = word.replace(/[`\r\n]/g, "").slice(0, 80);
  return `${displayName} said \`${shown}\`; treating it as running until it reports a known status or the run times out.`;
}

/** The older single-result form, for callers that need only the state. */
export function createStatusMapper(vendor: string, map: (word: string) => RunState | undefined, log: Logger) {
  const read = createStatusReader(vendor, vendor, map, log);
  return (word: string, run: { runId: string; webUrl?: string } = { runId: "" }): RunState => read(word, run).state;
}
