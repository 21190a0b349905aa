#!/usr/bin/env node
import { applyDotEnv, overrideWarnings } from "../operator/dot-env.js";
import { runCommand } from "./commands.js";

/** `pipeline-relay <command>`: `.env` applied as the app applies it, then everything testable lives in runCommand. */
const cwd = process.cwd();
for (const warning of overrideWarnings(applyDotEnv(process.env, cwd))) console.error(warning);
process.exitCode = await runCommand(process.argv.slice(2), {
  env: process.env,
  cwd,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
