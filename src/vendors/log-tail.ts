/** How much of a failed job's log a check shows: the end, where the error is. */
export const LOG_TAIL_LINES = 30;
export const LOG_TAIL_CHARS = 6000;

/**
 * Pure: the last `maxLines` lines of a log, within `maxChars`. When long lines exceed the budget the
 * START is dropped, never the end (the final error line is what people need); a single line longer than
 * the budget keeps its end. A cut is marked with "…".
 */
export function logTailWithin(text: string, maxLines = LOG_TAIL_LINES, maxChars = LOG_TAIL_CHARS): string {
  const lines = text.replace(/\r\n?/g, "\n").trimEnd().split("\n");
  const kept: string[] = [];
  let used = 0;
  for (let index = lines.length - 1; index >= 0 && kept.length < maxLines; index--) {
    const line = lines[index]!;
    const cost = line.length + (kept.length > 0 ? 1 : 0);
    if (used + cost > maxChars) {
      // The last line alone is too long: keep its end. Otherwise stop before the line that does not fit.
      if (kept.length === 0) kept.unshift(`…${line.slice(line.length - (maxChars - 1))}`);
      else kept.unshift("…");
      return kept.join("\n");
    }
    kept.unshift(line);
    used += cost;
  }
  return kept.join("\n");
}
