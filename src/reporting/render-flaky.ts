import type { FlakyTest } from "../results/flaky-tests.js";

export type { FlakyTest };

/** How many flaky tests the summary names; the rest are counted. */
export const LISTED_FLAKY = 20;

/** Pure: the flaky-tests section: each test with the attempts it failed and passed in. */
export function renderFlaky(flaky: readonly FlakyTest[]): string {
  const lines = [
    "### Flaky tests",
    "",
    `${flaky.length} ${flaky.length === 1 ? "test" : "tests"} failed in one attempt and passed in another attempt of this pipeline on this commit:`,
    "",
  ];
  for (const test of flaky.slice(0, LISTED_FLAKY)) {
    lines.push(`- \`${oneLine(test.suite)}\` › **${oneLine(test.name)}**: failed in attempt ${list(test.failedIn)}, passed in attempt ${list(test.passedIn)}`);
  }
  if (flaky.length > LISTED_FLAKY) lines.push(`- …and ${flaky.length - LISTED_FLAKY} more`);
  return lines.join("\n");
}

function list(attempts: readonly number[]): string {
  return attempts.join(", ");
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").replace(/[|`]/g, (c) => `\\${c}`).trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
