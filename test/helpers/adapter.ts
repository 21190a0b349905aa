import { pino } from "pino";
import { parse as parseYaml } from "yaml";
import { parseOperatorConfig } from "../../src/config/operator-config.js";
import { AdapterPool } from "../../src/runs/adapter-pool.js";
import type { VendorAdapter } from "../../src/vendors/types.js";

export interface StandaloneAdapter<Target> {
  adapter: VendorAdapter<Target>;
  logs: string[];
}

/**
 * One adapter built exactly as the app builds it (operator config → AdapterPool), with fast retries
 * and captured logs. `connectionYaml` is the body of one connection named `test`.
 */
export function createAdapterForTest<Target>(connectionYaml: string, env: Record<string, string>): StandaloneAdapter<Target> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const indented = connectionYaml.trim().split("\n").map((line) => `    ${line}`).join("\n");
  const operator = parseOperatorConfig(parseYaml(`connections:\n  test:\n${indented}\n`), "relay.yml", env);
  const pool = new AdapterPool(operator, log, { limit: 2, maxRetryAfterMs: 5, delayMs: () => 1 });
  return { adapter: pool.get("test").adapter as VendorAdapter<Target>, logs };
}
