/**
 * The fault scenarios of the engine (issue 10) run by default; RELAY_E2E_ENGINE=0 skips them (with the reason
 * printed) for a quick local run, as they start real processes and take minutes.
 */
export const ENGINE_ENABLED = process.env.RELAY_E2E_ENGINE !== "0";

export function describeWhenEngine(reason: string): jest.Describe {
  if (ENGINE_ENABLED) return describe;
  process.stderr.write(`skipped: ${reason} (RELAY_E2E_ENGINE=0)\n`);
  return describe.skip;
}

/** describe, or describe.skip with the reason printed when the topology cannot run here. */
export function describeIfAvailable(unavailable: string | null, name: string): jest.Describe {
  if (!unavailable) return describe;
  process.stderr.write(`skipped: ${name}: ${unavailable}\n`);
  return describe.skip;
}

/** Bounded fan-out: at most `limit` of `tasks` run at once; results in order. */
export async function inBatches<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
