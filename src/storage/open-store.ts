import { PostgresStore } from "./postgres-store.js";
import type { PostgresOptions } from "./postgres-store.js";
import { SqliteStore } from "./sqlite-store.js";
import type { SqliteOptions } from "./sqlite-store.js";
import type { RelayStore } from "./types.js";

export const DEFAULT_DATABASE = "./data/relay.sqlite";

/** Which store a `RELAY_DATABASE` setting names: a PostgreSQL URL, else an SQLite file path (or `:memory:`). */
export function storeKind(setting: string | undefined): "postgres" | "sqlite" {
  return /^postgres(ql)?:\/\//i.test(setting?.trim() ?? "") ? "postgres" : "sqlite";
}

export async function openStore(setting: string | undefined, options: PostgresOptions & SqliteOptions = {}): Promise<RelayStore> {
  const value = setting?.trim() || DEFAULT_DATABASE;
  return storeKind(value) === "postgres" ? PostgresStore.connect(value, options) : new SqliteStore(value, options);
}
