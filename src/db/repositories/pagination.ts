import { type SelectQueryBuilder, sql } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";

/**
 * Cursor pagination over a time-sortable id column. `after_id` walks forward, `before_id` walks
 * backward and returns the `limit` items just before the cursor, oldest first. `hasMore` refers
 * to the direction asked for, as in the Anthropic API.
 */
export async function paginate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  page: PageRequest,
): Promise<PageResult<O>> {
  const ref = sql.ref(column);
  let q = query;
  if (page.before_id !== undefined) {
    q = q.where(sql<boolean>`${ref} < ${page.before_id}`).orderBy(ref, "desc");
  } else {
    if (page.after_id !== undefined) {
      q = q.where(sql<boolean>`${ref} > ${page.after_id}`);
    }
    q = q.orderBy(ref, "asc");
  }
  const rows = await q.limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  const data = rows.slice(0, page.limit);
  if (page.before_id !== undefined) {
    data.reverse();
  }
  return { data, hasMore };
}
