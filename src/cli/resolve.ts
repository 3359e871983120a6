import type { StewardAdmin } from "@steward/sdk";
import type { ApiKey } from "../contract/api-keys.js";
import type { Invite } from "../contract/invites.js";
import type { ServiceAccount } from "../contract/service-accounts.js";
import type { User } from "../contract/users.js";
import type { Workspace } from "../contract/workspaces.js";
import { ID_PREFIXES } from "../core/ports.js";
import { CliError } from "./errors.js";

/**
 * Wherever a command takes an id it takes what people know instead: a member's email, a key's or
 * a workspace's name. An id (by its prefix) is used as given; a name that matches several objects
 * is an error listing their ids, and one that matches none says so.
 */

const isId = (text: string, prefix: string) => text.trim().startsWith(`${prefix}_`);
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The one live object among `matches` (those `isGone` says are archived do not count unless
 * nothing else matches), or a message saying why there is none.
 */
export function pickOne<T extends { id: string }>(
  kind: string,
  given: string,
  matches: readonly T[],
  options: {
    isGone?: (item: T) => boolean;
    describe?: (item: T) => string;
    /** What `given` is: a name, or an email. */
    by?: "name" | "email";
  } = {},
): { found: T } | { error: string } {
  const live = matches.filter((item) => !options.isGone?.(item));
  const describe = options.describe ?? ((item: T) => item.id);
  const by = options.by ?? "name";
  if (live.length === 1 && live[0] !== undefined) {
    return { found: live[0] };
  }
  if (live.length > 1) {
    return {
      error: `${live.length} ${kind}s ${by === "name" ? "are named" : "have the email"} ${JSON.stringify(given)}: ${live.map(describe).join(", ")}; give the id`,
    };
  }
  if (matches.length > 0) {
    return {
      error: `${kind} ${JSON.stringify(given)} is archived (${matches.map((m) => m.id).join(", ")})`,
    };
  }
  return { error: `unknown ${kind} ${JSON.stringify(given)}: no ${kind} has that ${by}` };
}

function orThrow<T>(picked: { found: T } | { error: string }): T {
  if ("error" in picked) {
    throw new CliError(picked.error);
  }
  return picked.found;
}

/** A member by id (`user_…`) or by email. */
export async function resolveUser(admin: StewardAdmin, idOrEmail: string): Promise<User> {
  if (!idOrEmail.includes("@")) {
    return (await admin.users.retrieve(idOrEmail.trim())) as User;
  }
  const page = await admin.users.list({ email: idOrEmail.trim() });
  const user = (page.data as User[])[0];
  if (user === undefined) {
    throw new CliError(`no member has the email ${idOrEmail}`);
  }
  return user;
}

/** A member's id from an id or an email. */
export async function resolveUserId(admin: StewardAdmin, idOrEmail: string): Promise<string> {
  return isId(idOrEmail, ID_PREFIXES.user)
    ? idOrEmail.trim()
    : (await resolveUser(admin, idOrEmail)).id;
}

/** An API key's id from an id (`apikey_…`) or its name (case-insensitive; revoked keys last). */
export async function resolveApiKeyId(admin: StewardAdmin, idOrName: string): Promise<string> {
  if (isId(idOrName, ID_PREFIXES.apiKey)) {
    return idOrName.trim();
  }
  const matches: ApiKey[] = [];
  for await (const key of admin.apiKeys.list({ limit: 1000 })) {
    if (sameName((key as ApiKey).name, idOrName)) {
      matches.push(key as ApiKey);
    }
  }
  return orThrow(
    pickOne("API key", idOrName, matches, {
      isGone: (k) => k.status === "archived",
      describe: (k) => `${k.id} (${k.status}, in ${k.workspace_id})`,
    }),
  ).id;
}

/**
 * A service account's id from an id (`svac_…`) or its name (names are slugs, unique in the
 * organization, archived accounts included).
 */
export async function resolveServiceAccountId(
  admin: StewardAdmin,
  idOrName: string,
): Promise<string> {
  if (isId(idOrName, ID_PREFIXES.serviceAccount)) {
    return idOrName.trim();
  }
  const matches: ServiceAccount[] = [];
  for await (const account of admin.serviceAccounts.list({ include_archived: true, limit: 1000 })) {
    if (sameName(account.name, idOrName)) {
      matches.push(account as ServiceAccount);
    }
  }
  return orThrow(
    pickOne("service account", idOrName, matches, { isGone: (a) => a.archived_at !== null }),
  ).id;
}

/** Labels for report rows by key: `name (apikey_…)`, and `(no key)` for usage without one. */
export async function apiKeyLabels(admin: StewardAdmin): Promise<(id: string | null) => string> {
  const names = new Map<string, string>();
  for await (const key of admin.apiKeys.list({ limit: 1000 })) {
    const k = key as ApiKey;
    names.set(k.id, `${k.name} (${k.id})`);
  }
  return (id) => (id === null ? "(no key)" : (names.get(id) ?? id));
}

/** An invite's id from an id (`invite_…`) or the email it was sent to (a pending or expired one). */
export async function resolveInviteId(admin: StewardAdmin, idOrEmail: string): Promise<string> {
  if (!idOrEmail.includes("@")) {
    return idOrEmail.trim();
  }
  const page = await admin.invites.list({ email: idOrEmail.trim(), limit: 1000 });
  const open = (page.data as Invite[]).filter((i) => i.status !== "accepted");
  const one = orThrow(
    pickOne("invite", idOrEmail, open, { describe: (i) => `${i.id} (${i.status})`, by: "email" }),
  );
  return one.id;
}

/** Every workspace (the default one and archived ones too), for names and ids. */
export async function allWorkspaces(admin: StewardAdmin): Promise<Workspace[]> {
  const all: Workspace[] = [];
  for await (const workspace of admin.workspaces.list({
    include_archived: true,
    include_default: true,
    limit: 1000,
  })) {
    all.push(workspace as Workspace);
  }
  return all;
}

/** Finds a workspace by id or by name (names compared case-insensitively). */
export class WorkspaceIndex {
  readonly #all: readonly Workspace[];
  readonly #byId = new Map<string, Workspace>();

  constructor(workspaces: readonly Workspace[]) {
    this.#all = workspaces;
    for (const w of workspaces) {
      this.#byId.set(w.id, w);
    }
  }

  /** The workspace, or why there is none. */
  find(idOrName: string): { workspace: Workspace } | { error: string } {
    const byId = this.#byId.get(idOrName.trim());
    const picked = pickOne(
      "workspace",
      idOrName,
      byId ? [byId] : this.#all.filter((w) => sameName(w.name, idOrName)),
      { isGone: (w) => w.archived_at !== null },
    );
    return "error" in picked ? picked : { workspace: picked.found };
  }

  label(id: string | null): string {
    if (id === null) {
      return "-";
    }
    const w = this.#byId.get(id);
    return w ? `${w.name} (${id})` : id;
  }

  name(id: string): string | undefined {
    return this.#byId.get(id)?.name;
  }
}

/** A workspace id from a name or id given on the command line. */
export async function resolveWorkspaceId(admin: StewardAdmin, idOrName: string): Promise<string> {
  if (isId(idOrName, ID_PREFIXES.workspace)) {
    return idOrName.trim();
  }
  const found = new WorkspaceIndex(await allWorkspaces(admin)).find(idOrName);
  if ("error" in found) {
    throw new CliError(found.error);
  }
  return found.workspace.id;
}

const RESOLVERS = {
  workspace: resolveWorkspaceId,
  user: resolveUserId,
  api_key: resolveApiKeyId,
  service_account: resolveServiceAccountId,
} as const;

/**
 * A request body (from flags) with the named fields resolved to ids: `{ user_id: "user" }` turns
 * an email given for `--user-id` into the member's id.
 */
export async function resolveFields<T extends object>(
  admin: StewardAdmin,
  body: T,
  fields: Partial<Record<keyof T & string, keyof typeof RESOLVERS>>,
): Promise<T> {
  const resolved = { ...body } as Record<string, unknown>;
  for (const [field, kind] of Object.entries(fields) as [string, keyof typeof RESOLVERS][]) {
    const given = resolved[field];
    if (typeof given === "string") {
      resolved[field] = await RESOLVERS[kind](admin, given);
    }
  }
  return resolved as T;
}
