import type { Clock, IdSource } from "./ports.js";
import type { Storage } from "./storage.js";

/**
 * Who performs an action: an admin key over HTTP, a member signed in to the console (a session),
 * the host operator's CLI, or an invitee.
 */
export type Actor =
  | { type: "admin_key"; id: string; userId: string | null }
  /** `role`: the member's role as read when the session was checked, for src/core/policy. */
  | { type: "session"; id: string; userId: string; role: string }
  | { type: "operator"; id: null }
  | { type: "invitee"; id: string }
  | { type: "system"; id: null }
  /** Whoever presented no admin key, or one that is not known. */
  | { type: "anonymous"; id: null };

/** Where a request came from, for its audit records. */
export interface RequestMeta {
  requestId: string | null;
  clientIp: string | null;
  userAgent: string | null;
}

/** Everything a service needs to know about the request it serves. */
export interface RequestContext {
  organizationId: string;
  actor: Actor;
  requestId: string | null;
  clientIp: string | null;
  userAgent: string | null;
}

/** The member a request acts for: an admin key's holder or a session's member; null otherwise. */
export function actingUserId(ctx: Pick<RequestContext, "actor">): string | null {
  const actor = ctx.actor;
  return actor.type === "admin_key" || actor.type === "session" ? actor.userId : null;
}

export interface ServiceDeps {
  store: Storage;
  clock: Clock;
  ids: IdSource;
}

export function operatorContext(organizationId: string): RequestContext {
  return {
    organizationId,
    actor: { type: "operator", id: null },
    requestId: null,
    clientIp: null,
    userAgent: null,
  };
}
