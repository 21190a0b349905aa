import type { Logger } from "probot";
import type { RunState } from "./types.js";

/**
 * Maps a vendor status word; a word nobody documented is logged once (per vendor and word)
 * and treated as still running, so the run ends by its timeout rather than by a wrong guess.
 */
export function createStatusMapper(vendor: string, map: (word: string) => RunState | undefined, log: Logger) {
  const reported = new Set<string>();
  return (word: string): RunState => {
    const state = map(word);
    if (state !== undefined) return state;
    if (!reported.has(word)) {
      reported.add(word);
      log.warn({ vendor, vendorStatus: word }, "unknown vendor run status; treating it as running until the timeout");
    }
    return "running";
  };
}
