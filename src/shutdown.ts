import { listeningServers } from "./server-handles.js";

type Hook = () => Promise<void>;

const hooks: Hook[] = [];
let closeServer: (() => Promise<void>) | undefined;
let installed = false;
let log: (message: string) => void = (message) => console.error(message);

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop taking webhooks (close the HTTP server), then run the hooks in
 * order (the engine finishes or gives back its work within its deadline, the store closes), then exit 0.
 * A second signal, or a hook that hangs past the hard limit, exits at once: what was not done is stored.
 */
export function onShutdown(hook: Hook, options: { hardLimitMs: number; log?: (message: string) => void }): void {
  hooks.push(hook);
  if (options.log) log = options.log;
  if (installed) return;
  installed = true;
  const stop = (signal: string) => {
    log(`${signal}: closing the HTTP server, finishing in-flight work`);
    setTimeout(() => process.exit(1), options.hardLimitMs).unref();
    void (async () => {
      await (closeServer ?? closeListeningServers)().catch(() => undefined);
      for (const each of hooks) await each().catch((error) => log(`shutdown step failed: ${String(error)}`));
      process.exit(0);
    })();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

/** The entry point that owns the HTTP server (src/bin/serve.ts) says how to close it. */
export function setServerCloser(close: () => Promise<void>): void {
  closeServer = close;
}

/** Under `probot run`: close the listening servers found among the process's handles. */
async function closeListeningServers(): Promise<void> {
  await Promise.all(
    listeningServers().map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // In-flight requests finish on their own; do not wait for slow clients longer than a moment.
          setTimeout(resolve, 2_000).unref();
        }),
    ),
  );
}
