import { type SelectQueryBuilder, sql } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";

/**
 * Cursor pagination over a time-sortable id column, in the order asked for (oldest first unless
 * `desc`). `after_id` walks forward in that order, `before_id` walks backward and returns the
 * `limit` items just before the cursor, still in that order. `hasMore` refers to the direction
 * asked for, as in the Anthropic API.
 */
export async function paginate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  page: PageRequest,
): Promise<PageResult<O>> {
  const ref = sql.ref(column);
  const newestFirst = page.order === "desc";
  /** Ids further along the list than `id`, or (backward) before it. */
  const beyond = (id: string, backward: boolean) =>
    newestFirst !== backward ? sql<boolean>`${ref} < ${id}` : sql<boolean>`${ref} > ${id}`;
  let q = query;
  const backward = page.before_id !== undefined;
  if (page.before_id !== undefined) {
    q = q.where(beyond(page.before_id, true));
  } else if (page.after_id !== undefined) {
    q = q.where(beyond(page.after_id, false));
  }
  q = q.orderBy(ref, newestFirst !== backward ? "desc" : "asc");
  const rows = await q.limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  const data = rows.slice(0, page.limit);
  if (backward) {
    data.reverse();
  }
  return { data, hasMore };
}
