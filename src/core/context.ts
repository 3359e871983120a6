import type { Store } from "../db/store.js";
import type { Clock, IdSource } from "./ports.js";

/** Who performs an action: an admin key over HTTP, the host operator's CLI, or an invitee. */
export type Actor =
  | { type: "admin_key"; id: string; userId: string | null }
  | { type: "operator"; id: null }
  | { type: "invitee"; id: string }
  | { type: "system"; id: null };

/** Everything a service needs to know about the request it serves. */
export interface RequestContext {
  organizationId: string;
  actor: Actor;
  requestId: string | null;
  clientIp: string | null;
  userAgent: string | null;
}

export interface ServiceDeps {
  store: Store;
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
