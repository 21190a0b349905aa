import { createHash } from "node:crypto";
import pg from "pg";
import type { Row } from "./rows.js";

export interface SqlResult {
  rows: Row[];
  /** Rows inserted, updated, deleted or returned by the statement. */
  rowCount: number;
}

/**
 * What the PostgreSQL store needs from a connection: `pg.Pool` in production, PGlite in tests. Rows come back
 * as the driver gives them (pg: BIGINT as strings); the store's row mappers make numbers of them.
 */
export interface SqlExecutor {
  /** One statement with `$n` parameters. */
  query(text: string, params?: readonly unknown[]): Promise<SqlResult>;
  /** Several statements, no parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Named statements are parsed and planned once per connection; the name is derived from the text. */
function statementName(text: string): string {
  return `relay_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
}

async function runQuery(client: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[]): Promise<SqlResult> {
  const result = await client.query({ name: statementName(text), text, values: [...params] });
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

class ClientExecutor implements SqlExecutor {
  constructor(private readonly client: pg.PoolClient) {}

  query(text: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return runQuery(this.client, text, params);
  }

  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // Already inside one: the work joins it.
    return work(this);
  }

  async close(): Promise<void> {}
}

export class PoolExecutor implements SqlExecutor {
  constructor(private readonly pool: pg.Pool) {}

  static connect(url: string, poolSize: number): PoolExecutor {
    const pool = new pg.Pool({ connectionString: url, max: poolSize });
    // An idle client that loses its server (restart, failover) emits 'error'; unhandled, that would end the process.
    // The pool drops the client and the next query opens a fresh one.
    pool.on("error", () => {});
    return new PoolExecutor(pool);
  }

  query(text: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return runQuery(this.pool, text, params);
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await work(new ClientExecutor(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      // A connection that cannot even roll back is not given back to the pool.
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
