import type { FastifyReply, FastifyRequest } from "fastify";
import { sendError } from "./errors.js";

/**
 * NUL (U+0000) in any text a request carries, path parameters, query values and JSON bodies
 * (keys included), is refused with a 400 naming the field. PostgreSQL's text and jsonb cannot hold
 * it, so it would fail the statement (a 500) wherever the text reached the database, and SQLite
 * would store what PostgreSQL refuses; no field of the API has a use for it, so both engines
 * refuse it alike, before any handler runs.
 */
export async function refuseNul(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const field =
    fieldWithNul(request.params, "path") ??
    fieldWithNul(request.query, "query") ??
    fieldWithNul(request.body, "body");
  if (field === undefined) {
    return undefined;
  }
  return sendError(
    reply,
    request,
    "invalid_request_error",
    `${field}: must not contain NUL characters (\\u0000)`,
  );
}

/**
 * Where in `value` a string or key holds NUL, as `body.events[3].model`, or undefined. Bodies may
 * be deep (a nested tool result) and large (1 MiB of usage events): the walk keeps its own stack,
 * and spells out a field's path only for the values it visits.
 */
export function fieldWithNul(value: unknown, root: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [current, path] = next;
    if (typeof current === "string") {
      if (current.includes("\0")) {
        return path;
      }
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        stack.push([current[i], `${path}[${i}]`]);
      }
    } else if (current !== null && typeof current === "object" && !Buffer.isBuffer(current)) {
      for (const key of Object.keys(current)) {
        const child = `${path}.${key}`;
        if (key.includes("\0")) {
          return child;
        }
        stack.push([(current as Record<string, unknown>)[key], child]);
      }
    }
  }
  return undefined;
}
