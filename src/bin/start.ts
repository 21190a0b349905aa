#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "probot";
import { applyDotEnv, overrideWarnings } from "../operator/dot-env.js";
import { exitOnStartupProblems } from "../operator/startup-checks.js";

/**
 * `npm start` and the container's command: `.env` applied as Probot would, the environment checked (one line per
 * problem, exit 1) before Probot decides between the app and its registration page, then `probot run dist/index.js`.
 */
for (const warning of overrideWarnings(applyDotEnv(process.env, process.cwd()))) console.warn(warning);
exitOnStartupProblems(process.env);
await run([join(dirname(fileURLToPath(import.meta.url)), "..", "index.js")], { env: process.env });
