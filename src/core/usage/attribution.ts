import type { AnalyticsActor, UserActor } from "../../contract/analytics.js";
import type { ApiKeyRow, UserRow } from "../records.js";
import type { Repositories } from "../repositories.js";

/**
 * Whom a request's usage is attributed to: the principal its API key was issued to (a member
 * or a service account), else the key itself. Usage without a key
 * (ingested events that name none) is attributed to nobody. Attribution is read when a report is:
 * a key issued later to someone (an invite's key, on acceptance) carries its past usage along.
 */
export interface Attribution {
  /** The actor of a key's usage; '' (no key) and unknown keys have none. */
  actorOf(apiKeyId: string): AnalyticsActor | null;
  /** The organization's keys whose actor passes `match`. */
  keysWhere(match: (actor: AnalyticsActor) => boolean): string[];
}

/** The identity of an actor: its tagged id, whatever its kind. */
export function actorId(actor: AnalyticsActor): string {
  switch (actor.type) {
    case "user_actor":
      return actor.user_id;
    case "service_account_actor":
      return actor.service_account_id;
    case "api_actor":
      return actor.api_key_id;
  }
}

/** A member as the reports show them: removed members stay, marked `deleted`. */
export function userActor(user: UserRow): UserActor {
  return {
    deleted: user.removed_at !== null,
    email_address: user.email,
    name: user.name === "" ? null : user.name,
    type: "user_actor",
    user_id: user.id,
  };
}

/** The principal of one key. The one place a new kind of principal is added. */
function principalOf(
  key: Pick<ApiKeyRow, "id" | "owner_user_id" | "service_account_id">,
  users: ReadonlyMap<string, UserRow>,
): AnalyticsActor {
  if (key.service_account_id !== null) {
    return { service_account_id: key.service_account_id, type: "service_account_actor" };
  }
  const owner = key.owner_user_id === null ? undefined : users.get(key.owner_user_id);
  return owner === undefined ? { api_key_id: key.id, type: "api_actor" } : userActor(owner);
}

export async function loadAttribution(
  repos: Repositories,
  organizationId: string,
): Promise<Attribution> {
  const keys = await repos.apiKeys.principals(organizationId);
  const ownerIds = keys.flatMap((key) => (key.owner_user_id === null ? [] : [key.owner_user_id]));
  const users = new Map(
    (await repos.users.findManyInOrganization(organizationId, ownerIds)).map((u) => [u.id, u]),
  );
  const actors = new Map(keys.map((key) => [key.id, principalOf(key, users)]));
  return {
    actorOf: (apiKeyId) => actors.get(apiKeyId) ?? null,
    keysWhere: (match) => [...actors].filter(([, actor]) => match(actor)).map(([id]) => id),
  };
}
