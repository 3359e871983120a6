import { type RawBuilder, sql } from "kysely";

/**
 * A function that lists a row's values in the given column order, for a prepared statement's
 * positional parameters. It is compiled once from the constant column list, so each call is a
 * plain array literal of named property reads: the batch writes of usage events call it for every
 * row, and a loop of dynamic lookups (or named parameters) cost measurably more there.
 */
export function compileValues<Row extends object>(
  columns: ReadonlyArray<keyof Row & string>,
): (row: Row) => unknown[] {
  for (const column of columns) {
    if (!/^[a-z_][a-z0-9_]*$/.test(column)) {
      throw new Error(`not a column name: ${column}`);
    }
  }
  return new Function("row", `return [${columns.map((c) => `row.${c}`).join(", ")}];`) as (
    row: Row,
  ) => unknown[];
}

/** A PostgreSQL column type, for casting an array parameter. */
export type PgType = "text" | "bigint" | "integer";

/**
 * PostgreSQL rows as one array parameter per column, unnested back into rows:
 * `select * from unnest($1::text[], $2::bigint[], …)`. A batch of thousands of rows is then one
 * short statement with a few parameters, where a multi-row VALUES list needs one parameter per
 * value (and splitting under the 65,535 limit).
 */
export function unnestRows<Row extends object>(
  columns: ReadonlyArray<readonly [keyof Row & string, PgType]>,
  rows: readonly Row[],
): RawBuilder<unknown> {
  const arrays = columns.map(([name, type]) => {
    const values = rows.map((row) => row[name]);
    return sql`${values}::${sql.raw(type)}[]`;
  });
  return sql`select * from unnest(${sql.join(arrays)})`;
}
