import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { CliIo } from "../../src/bin/provision-command.js";

const workspaces: string[] = [];

/** Removes every workspace made since the last call (an afterEach). */
export function removeCliWorkspaces(): void {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A working directory with relay.yml and pipelines.yml, and an io that records what the CLI says. */
export function cliWorkspace(files: { relayYml: string; pipelinesYml: string }, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "relay-cli-"));
  workspaces.push(dir);
  writeFileSync(join(dir, "relay.yml"), files.relayYml);
  writeFileSync(join(dir, "pipelines.yml"), files.pipelinesYml);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: { RELAY_CONFIG: "relay.yml", ...env },
    cwd: dir,
    out: (line) => void out.push(line),
    err: (line) => void err.push(line),
    log: pino({ level: "silent" }),
    retry: { limit: 0, maxRetryAfterMs: 5, delayMs: () => 1 },
  };
  return { io, out, err };
}
