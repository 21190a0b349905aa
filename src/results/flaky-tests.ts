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
