import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the checkpointing thread copies committed WAL frames into the database file. */
export const CHECKPOINT_EVERY_MS = 100;
/**
 * The store connection's own automatic checkpoint, a safety net only: it runs on the event loop, so it is set far
 * above what the thread leaves behind (4 KiB pages: about 40 MB of WAL), and takes over if the thread ever dies.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// Plain JavaScript run by the worker (eval), so it needs no build step and works the same under the test runner.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 1000");
let failures = 0;
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (error) {
    failures += 1;
    if (failures === 1 || failures % 100 === 0) parentPort.postMessage({ error: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread with its own connection. A checkpoint copies pages into the
 * database file and syncs it (synchronous = NORMAL syncs at checkpoints, not at commits); on the event loop that
 * stalled every request for ~10-20 ms every few hundred webhooks. In the thread, commits only append to the WAL.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  #exited: Promise<void>;

  constructor(file: string, onError: (message: string) => void, onExit: () => void) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } });
    this.#worker.on("message", (message: { error?: string }) => {
      if (message.error) onError(message.error);
    });
    this.#worker.on("error", (error) => onError(error.message));
    // After the listeners: adding a "message" listener refs the worker again, and the thread must never keep the
    // process alive.
    this.#worker.unref();
    this.#exited = new Promise((resolve) => this.#worker.once("exit", () => resolve()));
    void this.#exited.then(onExit);
  }

  /** A last checkpoint, then the thread's connection is closed (before the store's, which removes the WAL). */
  async stop(timeoutMs = 2000): Promise<void> {
    this.#worker.postMessage("stop");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    if ((await Promise.race([this.#exited, timedOut])) === "timeout") await this.#worker.terminate();
    clearTimeout(timer);
  }
}
