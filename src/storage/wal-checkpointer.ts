import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the checkpointing thread copies committed WAL frames into the database file. */
export const CHECKPOINT_EVERY_MS = 100;
/**
 * A WAL this long (4 KiB pages: 16 MB) is started over: the thread asks the store for a moment without commits (see
 * WalCheckpointer). Measured at 3,000 webhooks/s: 1,024, 2,048 and 4,096 frames gave the same p99 within the noise
 * (each pause costs ~5 ms whatever its size, mostly the two syncs), and 4,096 pauses least often.
 */
export const RESTART_AT_FRAMES = 4096;
/** The longest the store holds its commits for the thread; after it they go on whatever the thread does. */
export const QUIET_MAX_MS = 50;
/**
 * The store connection's own automatic checkpoint, a safety net only: it runs on the event loop, so it is set far
 * above where the thread starts the WAL over, and takes over if the thread ever dies or never gets its pause.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/** The store's commits of new webhooks, which the thread asks to pause while it finishes a checkpoint. */
export interface CommitGate {
  /** Commits what waits now, then holds new commits until release(). */
  hold(): void;
  release(): void;
}

export interface CheckpointerOptions {
  onError(message: string): void;
  /** The thread is gone: the store's connection checkpoints by itself again. */
  onExit(): void;
  gate?: CommitGate;
  /** Where the WAL is started over (tests use a small one). */
  restartAtFrames?: number;
  /** Told after each checkpoint made during a pause. */
  onQuietCheckpoint?(result: QuietCheckpoint): void;
}

/** What the thread reports after a checkpoint that ran while the store held its commits. */
export interface QuietCheckpoint {
  /** Every frame of the WAL is in the database file, so the next commit starts the WAL over. */
  caughtUp: boolean;
  frames: number;
}

// Plain JavaScript run by the worker (eval), so it needs no build step and works the same under the test runner.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 1000");
let failures = 0;
let askedForQuiet = false;
const checkpoint = () => {
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
    return result;
  } catch (error) {
    failures += 1;
    if (failures === 1 || failures % 100 === 0) parentPort.postMessage({ error: String(error && error.message) });
    return undefined;
  }
};
const tick = () => {
  if (askedForQuiet) return;
  const result = checkpoint();
  if (workerData.restartAtFrames > 0 && result && result.log >= workerData.restartAtFrames) {
    askedForQuiet = true;
    parentPort.postMessage({ wantQuiet: true });
  }
};
const timer = setInterval(tick, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message === "quiet") {
    const result = checkpoint();
    askedForQuiet = false;
    parentPort.postMessage({ quiet: { caughtUp: !!result && result.log === result.checkpointed, frames: result ? result.log : -1 } });
    return;
  }
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

interface FromThread {
  error?: string;
  wantQuiet?: boolean;
  quiet?: QuietCheckpoint;
}

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread with its own connection. A checkpoint copies pages into the
 * database file and syncs it (synchronous = NORMAL syncs at checkpoints, not at commits); on the event loop that
 * stalled every request for ~10-20 ms every few hundred webhooks. In the thread, commits only append to the WAL.
 *
 * Under a steady stream of commits the thread's checkpoints never catch up (frames arrive while it copies), and a
 * WAL that is never fully copied is never started over: it grew to the store's fallback, whose checkpoint then ran
 * inside a commit on the event loop (14-18 ms, every 1.25 s at 2,200 webhooks/s). So once the WAL is long, the
 * thread asks for a pause: the store holds its webhook commits (the event loop goes on reading and checking
 * requests), the thread copies the last frames, and the next commit starts the WAL over. The pause is ~5 ms.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #gate: CommitGate | undefined;
  #releaseTimer: NodeJS.Timeout | undefined;

  constructor(file: string, options: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#gate = options.gate;
    const restartAtFrames = options.gate ? (options.restartAtFrames ?? RESTART_AT_FRAMES) : 0;
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS, restartAtFrames } });
    this.#worker.on("message", (message: FromThread) => {
      if (message.error) options.onError(message.error);
      if (message.wantQuiet) this.#hold();
      if (message.quiet) {
        this.#release();
        options.onQuietCheckpoint?.(message.quiet);
      }
    });
    this.#worker.on("error", (error) => options.onError(error.message));
    // After the listeners: adding a "message" listener refs the worker again, and the thread must never keep the
    // process alive.
    this.#worker.unref();
    this.#exited = new Promise((resolve) => this.#worker.once("exit", () => resolve()));
    void this.#exited.then(() => {
      this.#release();
      options.onExit();
    });
  }

  #hold(): void {
    if (!this.#gate) return;
    this.#gate.hold();
    // A thread that never answers (stuck on the disk, or gone) holds nobody's webhook for longer than this.
    this.#releaseTimer = setTimeout(() => this.#release(), QUIET_MAX_MS);
    this.#releaseTimer.unref();
    this.#worker.postMessage("quiet");
  }

  #release(): void {
    if (this.#releaseTimer === undefined) return;
    clearTimeout(this.#releaseTimer);
    this.#releaseTimer = undefined;
    this.#gate?.release();
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
