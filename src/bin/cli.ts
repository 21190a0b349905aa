#!/usr/bin/env node
import { runCli } from "./provision-command.js";

/** `pipeline-relay provision …`: everything testable lives in runCli. */
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
