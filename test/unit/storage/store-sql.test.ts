import { storeKind } from "../../../src/storage/open-store.js";
import { patchColumns } from "../../../src/storage/rows.js";
import { toPositional, updateRunSql } from "../../../src/storage/run-sql.js";

describe("store SQL helpers", () => {
  it.each([
    [undefined, "sqlite"],
    ["./data/relay.sqlite", "sqlite"],
    [":memory:", "sqlite"],
    ["postgres://relay@db:5432/relay", "postgres"],
    ["postgresql://relay@db/relay?sslmode=require", "postgres"],
    [" POSTGRES://db/relay", "postgres"],
    ["/var/lib/postgres/relay.sqlite", "sqlite"],
  ] as const)("RELAY_DATABASE=%p opens the %s store", (setting, kind) => {
    expect(storeKind(setting)).toBe(kind);
  });

  it.each([
    ["SELECT @a, @b, @a", "SELECT $1, $2, $1", ["a", "b"]],
    ["UPDATE t SET x = @x_1 WHERE id = @id", "UPDATE t SET x = $1 WHERE id = $2", ["x_1", "id"]],
    ["SELECT 1", "SELECT 1", []],
  ])("rewrites %p for PostgreSQL", (named, text, names) => {
    expect(toPositional(named)).toEqual({ text, names });
  });

  it("patches only defined, patchable fields, by column", () => {
    expect(patchColumns({ state: "running", note: undefined, cancelRequested: false, updatedAt: 5, checkRunId: null })).toEqual([
      ["state", "running"], ["cancel_requested", false], ["check_run_id", null],
    ]);
  });

  it.each([
    [["state"], undefined, /WHERE id = @id RETURNING/, /COALESCE\(publish_due_at, @now\)/],
    [["view_key"], "vendor", /AND lease_token = @token RETURNING/, /CAST\(@view_key AS TEXT\) IS NULL/],
    [["reported", "publish_due_at"], "github", /AND publish_token = @token RETURNING/, /ELSE CAST\(@publish_due_at AS BIGINT\) END/],
  ] as const)("builds the update of %p fenced by %p", (columns, lane, fence, due) => {
    const sql = updateRunSql(columns, lane);
    expect(sql).toMatch(fence);
    expect(sql).toMatch(due);
    expect(sql).toMatch(/updated_at = @now/);
  });
});

describe("openStore", () => {
  it("opens SQLite for a file path or :memory:", async () => {
    const { openStore } = await import("../../../src/storage/open-store.js");
    const { SqliteStore } = await import("../../../src/storage/sqlite-store.js");
    const store = await openStore(":memory:");
    expect(store).toBeInstanceOf(SqliteStore);
    await store.close();
  });
});
