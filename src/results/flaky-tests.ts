/** A test that failed in one attempt and passed in another attempt of the same pipeline on the same commit. */
export interface FlakyTest {
  suite: string;
  name: string;
  /** Attempt numbers, ascending. */
  failedIn: number[];
  passedIn: number[];
}

/** What one attempt's test results say about single tests (uploads or a vendor report that lists cases). */
export interface AttemptOutcomes {
  attempt: number;
  failed: ReadonlyArray<{ suite: string; name: string }>;
  passed: ReadonlyArray<{ suite: string; name: string }>;
}

/** Pure: tests with a failure in one attempt and a pass in another, sorted by suite and name. */
export function findFlakyTests(attempts: readonly AttemptOutcomes[]): FlakyTest[] {
  const byTest = new Map<string, FlakyTest>();
  const note = (test: { suite: string; name: string }, attempt: number, outcome: "failedIn" | "passedIn") => {
    const key = testKey(test);
    const entry = byTest.get(key) ?? { suite: test.suite, name: test.name, failedIn: [], passedIn: [] };
    if (!entry[outcome].includes(attempt)) entry[outcome].push(attempt);
    byTest.set(key, entry);
  };
  for (const { attempt, failed, passed } of attempts) {
    for (const test of failed) note(test, attempt, "failedIn");
    for (const test of passed) note(test, attempt, "passedIn");
  }
  return [...byTest.values()]
    .filter((test) => test.failedIn.length > 0 && test.passedIn.some((attempt) => !test.failedIn.includes(attempt)))
    .map((test) => ({ ...test, failedIn: [...test.failedIn].sort((a, b) => a - b), passedIn: [...test.passedIn].sort((a, b) => a - b) }))
    .sort((a, b) => a.suite.localeCompare(b.suite) || a.name.localeCompare(b.name));
}

/** One string per test: suite and name joined by a character neither can hold in JUnit XML. */
export function testKey(test: { suite: string; name: string }): string {
  return `${test.suite}\u0000${test.name}`;
}

/** One attempt's outcomes from its uploads: failed and errored tests, and the passed tests each upload kept. */
export function outcomesOf(attempt: number, uploads: ReadonlyArray<{ failures: ReadonlyArray<{ suite: string; name: string }>; passedTests?: ReadonlyArray<{ suite: string; name: string }> }>): AttemptOutcomes {
  return {
    attempt,
    failed: uploads.flatMap((upload) => upload.failures.map(({ suite, name }) => ({ suite, name }))),
    passed: uploads.flatMap((upload) => upload.passedTests ?? []),
  };
}

/** How many flaky tests of a repository count as "known" when a retry is judged. */
export const KNOWN_FLAKY_LIMIT = 1_000;

/**
 * Pure: whether a run's test failures are all tests known to be flaky. Only when every failure is listed (the
 * uploads keep up to 500) and there was at least one; a run that failed for another reason is not flaky-only.
 */
export function failsOnlyOnKnownFlaky(
  uploads: ReadonlyArray<{ failed: number; errored: number; failures: ReadonlyArray<{ suite: string; name: string }> }>,
  known: ReadonlyArray<{ suite: string; name: string }>,
): boolean {
  const counted = uploads.reduce((total, upload) => total + upload.failed + upload.errored, 0);
  const listed = uploads.flatMap((upload) => upload.failures);
  if (counted === 0 || listed.length < counted) return false;
  const knownKeys = new Set(known.map(testKey));
  return listed.every((test) => knownKeys.has(testKey(test)));
}
