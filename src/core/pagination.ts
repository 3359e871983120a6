import { invalidRequest } from "./errors.js";

/**
 * A page asked of a repository: `limit` items after or before a cursor id, in the list's order:
 * oldest first (`asc`, the default) or newest first (`desc`), where "after" is further along.
 */
export interface PageRequest {
  limit: number;
  after_id?: string | undefined;
  before_id?: string | undefined;
  order?: "asc" | "desc" | undefined;
}

/** A repository's page; `hasMore` refers to the direction asked for. */
export interface PageResult<T> {
  data: T[];
  hasMore: boolean;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export interface Cursor {
  after_id?: string | undefined;
  before_id?: string | undefined;
}

/**
 * A cursor must name an object of the same collection in the caller's organization; anything else
 * (a typo, another organization's id) is a 400, never a silently empty or shifted page.
 */
export async function checkCursor(
  cursor: Cursor,
  exists: (id: string) => Promise<boolean>,
): Promise<void> {
  if (cursor.after_id !== undefined && cursor.before_id !== undefined) {
    throw invalidRequest("after_id and before_id cannot be used together", "invalid_cursor");
  }
  for (const [name, id] of [
    ["after_id", cursor.after_id],
    ["before_id", cursor.before_id],
  ] as const) {
    if (id !== undefined && !(await exists(id))) {
      throw invalidRequest(
        `${name}: no such object in this list: ${JSON.stringify(id)}`,
        "invalid_cursor",
      );
    }
  }
}

export function toPage<Row, T>(
  result: PageResult<Row>,
  present: (row: Row) => T,
  idOf: (item: T) => string,
): Page<T> {
  const data = result.data.map(present);
  const first = data[0];
  const last = data[data.length - 1];
  return {
    data,
    has_more: result.hasMore,
    first_id: first === undefined ? null : idOf(first),
    last_id: last === undefined ? null : idOf(last),
  };
}
