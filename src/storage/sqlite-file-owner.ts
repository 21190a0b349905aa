import Database from "better-sqlite3";

/**
 * Makes this process the only one using a SQLite store file, for as long as it runs.
 *
 * The store's own connection shares the file with a checkpointing thread (see wal-checkpointer.ts), so it cannot
 * lock the file exclusively itself. Instead an exclusive lock is held on a small side file (`<store>.owner`): a
 * second pipeline-relay process on the same store fails to start instead of sharing leases it cannot see, and the
 * operating system drops the lock when the owner exits or is killed, so a restart never waits for a stale lock.
 */
export class SqliteFileOwner {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  /**
   * Waits up to `waitMs` for an owner that is shutting down (a restart that overlaps the old process), then throws a
   * message naming the cause.
   */
  static claim(storeFile: string, waitMs: number): SqliteFileOwner {
    const db = new Database(`${storeFile}.owner`, { timeout: waitMs });
    try {
      db.pragma("locking_mode = EXCLUSIVE");
      // Exclusive locking keeps the write lock of the first write until the connection closes.
      db.exec("CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since INTEGER NOT NULL)");
      db.prepare("INSERT INTO owner (id, pid, since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, since = excluded.since").run(
        process.pid,
        Date.now(),
      );
      return new SqliteFileOwner(db);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new SqliteFileInUseError();
      throw error;
    }
  }

  release(): void {
    if (this.#db.open) this.#db.close();
  }
}

export class SqliteFileInUseError extends Error {
  constructor() {
    super(
      "the SQLite file is in use by another pipeline-relay process; run one process per file, or use PostgreSQL (RELAY_DATABASE=postgres://…) for several replicas",
    );
    this.name = "SqliteFileInUseError";
  }
}
