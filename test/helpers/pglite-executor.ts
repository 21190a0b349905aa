import { PGlite } from "@electric-sql/pglite";
import type { Transaction } from "@electric-sql/pglite";
import type { SqlExecutor, SqlResult } from "../../src/storage/postgres-executor.js";
import type { Row } from "../../src/storage/rows.js";

type PgliteConnection = Pick<PGlite, "query" | "exec"> | Transaction;

async function run(connection: PgliteConnection, text: string, params: readonly unknown[]): Promise<SqlResult> {
  const result = await connection.query<Row>(text, [...params]);
  return { rows: result.rows, rowCount: result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
}

class PgliteTransaction implements SqlExecutor {
  constructor(private readonly tx: Transaction) {}
  query(text: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return run(this.tx, text, params);
  }
  async exec(script: string): Promise<void> {
    await this.tx.exec(script);
  }
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return work(this);
  }
  async close(): Promise<void> {}
}

/** PostgreSQL in WASM behind the store's executor interface: the PostgreSQL store's SQL, tested without a server. */
export class PgliteExecutor implements SqlExecutor {
  private constructor(readonly db: PGlite) {}

  static async create(): Promise<PgliteExecutor> {
    return new PgliteExecutor(await PGlite.create());
  }

  query(text: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return run(this.db, text, params);
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new PgliteTransaction(tx)));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
