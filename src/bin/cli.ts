#!/usr/bin/env node
import { applyDotEnv } from "../operator/dot-env.js";
import { runCommand } from "./commands.js";

/** `pipeline-relay <command>`: `.env` read as `npm start` reads it (the environment wins), then runCommand. */
const cwd = process.cwd();
applyDotEnv(process.env, cwd);
process.exitCode = await runCommand(process.argv.slice(2), {
  env: process.env,
  cwd,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
