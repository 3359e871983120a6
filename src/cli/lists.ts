import { type Command, InvalidArgumentError, Option } from "commander";
import type { Ctx } from "./context.js";
import { type Column, print, table, writeErr } from "./output.js";

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected a whole number of at least 1");
  }
  return n;
}

/** `--limit N`: the most items a list command shows (every page is read until then). */
export function addLimitFlag(command: Command, fallback?: number): Command {
  return command.addOption(
    new Option(
      "--limit <n>",
      fallback === undefined ? "show at most n (default: all)" : "show at most n",
    )
      .argParser(parsePositiveInt)
      .default(fallback),
  );
}

/** The page size to ask for when `limit` items are wanted (one more, to know there are more). */
export function pageSize(limit: number | undefined): number {
  return limit === undefined ? 1000 : Math.min(limit + 1, 1000);
}

/** Items across pages, up to `limit`; `has_more` when there were more. */
export async function collect<T>(
  items: AsyncIterable<T>,
  limit: number | undefined,
): Promise<{ data: T[]; has_more: boolean }> {
  const data: T[] = [];
  for await (const item of items) {
    if (limit !== undefined && data.length >= limit) {
      return { data, has_more: true };
    }
    data.push(item);
  }
  return { data, has_more: false };
}

/** A list as `{data, has_more}` JSON, or a table with a note on stderr when it was cut. */
export function printList<T>(
  ctx: Ctx,
  list: { data: T[]; has_more: boolean },
  columns: readonly Column<T>[],
): void {
  print(ctx, list, () => table(list.data, columns));
  if (list.has_more && !ctx.json) {
    writeErr(`(showing the first ${list.data.length}; raise --limit to see more)`);
  }
}
