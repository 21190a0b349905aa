#!/usr/bin/env node
import { existsSync } from "node:fs";
import { startGuardedServer } from "../github/guarded-server.js";
import { exitOnStartupProblems } from "../operator/startup-checks.js";
import { markServerOwned } from "../server-handles.js";
import { setServerCloser } from "../shutdown.js";

// .env fills in what the shell did not set: an exported variable always wins over the file.
if (existsSync(".env")) process.loadEnvFile(".env");
// A broken App identity, PORT or LOG_LEVEL stops here with one line per problem and exit status 1.
exitOnStartupProblems(process.env);
markServerOwned();
const { default: app } = await import("../index.js");

/**
 * `npm start`: Probot's server with the webhook guard in front (413 above GitHub's 25 MB cap before the body is
 * read; no payload in any log line), started as `probot run` would from the same environment. On SIGTERM the
 * HTTP server closes first, then the engine finishes or gives back its work.
 */
const { httpServer } = await startGuardedServer(app);
setServerCloser(
  () =>
    new Promise<void>((resolve) => {
      httpServer.close(() => resolve());
      httpServer.closeIdleConnections();
      setTimeout(resolve, 2_000).unref();
    }),
);
