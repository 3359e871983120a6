import type { StewardAdmin } from "@steward/sdk";
import type { User } from "../contract/users.js";
import type { Workspace } from "../contract/workspaces.js";
import { CliError } from "./errors.js";

/** A member by id (`user_…`) or by email. */
export async function resolveUser(admin: StewardAdmin, idOrEmail: string): Promise<User> {
  if (!idOrEmail.includes("@")) {
    return (await admin.users.retrieve(idOrEmail)) as User;
  }
  const page = await admin.users.list({ email: idOrEmail });
  const user = (page.data as User[])[0];
  if (user === undefined) {
    throw new CliError(`no member with the email ${idOrEmail}`);
  }
  return user;
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
  readonly #byId = new Map<string, Workspace>();
  readonly #byName = new Map<string, Workspace[]>();

  constructor(workspaces: readonly Workspace[]) {
    for (const w of workspaces) {
      this.#byId.set(w.id, w);
      const key = w.name.trim().toLowerCase();
      this.#byName.set(key, [...(this.#byName.get(key) ?? []), w]);
    }
  }

  /** The workspace, or why there is none. */
  find(idOrName: string): { workspace: Workspace } | { error: string } {
    const byId = this.#byId.get(idOrName.trim());
    const candidates = byId ? [byId] : (this.#byName.get(idOrName.trim().toLowerCase()) ?? []);
    const active = candidates.filter((w) => w.archived_at === null);
    if (active.length === 1 && active[0]) {
      return { workspace: active[0] };
    }
    if (active.length > 1) {
      return {
        error: `several workspaces are named ${JSON.stringify(idOrName)} (${active.map((w) => w.id).join(", ")}): give the id`,
      };
    }
    if (candidates.length > 0) {
      return { error: `workspace ${JSON.stringify(idOrName)} is archived` };
    }
    return { error: `unknown workspace ${JSON.stringify(idOrName)}` };
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
  if (/^wrkspc_/.test(idOrName)) {
    return idOrName;
  }
  const found = new WorkspaceIndex(await allWorkspaces(admin)).find(idOrName);
  if ("error" in found) {
    throw new CliError(found.error);
  }
  return found.workspace.id;
}
