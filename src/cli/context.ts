import type { StewardAdmin } from "@steward/sdk";
import type { Command } from "commander";
import { clientFor, type GlobalOptions, globalsOf } from "./client.js";

/** What a command's action gets: its options (with the global ones) and a client on demand. */
export interface Ctx {
  command: Command;
  /** The command's own options merged with the global ones. */
  opts: Record<string, unknown> & GlobalOptions;
  json: boolean;
  /** The SDK client, made on first use (so that usage errors come before configuration ones). */
  readonly admin: StewardAdmin;
}

function contextOf(command: Command): Ctx {
  let admin: StewardAdmin | undefined;
  const opts = globalsOf(command) as Record<string, unknown> & GlobalOptions;
  return {
    command,
    opts,
    json: opts.json === true,
    get admin() {
      admin ??= clientFor(command);
      return admin;
    },
  };
}

/**
 * A commander action from `handler(ctx, ...arguments)`: commander calls actions with the
 * arguments, then the options, then the command.
 */
export function action<A extends unknown[]>(
  handler: (ctx: Ctx, ...args: A) => Promise<void>,
): (...all: unknown[]) => Promise<void> {
  return (...all: unknown[]) => {
    const command = all.at(-1) as Command;
    return handler(contextOf(command), ...(all.slice(0, -2) as A));
  };
}
