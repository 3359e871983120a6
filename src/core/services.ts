import type { Store } from "../db/store.js";
import { AdminKeyService } from "./admin-keys/admin-key.service.js";
import { ApiKeyService } from "./api-keys/api-key.service.js";
import type { ServiceDeps } from "./context.js";
import { TimeSortableIds } from "./ids.js";
import { InviteService } from "./invites/invite.service.js";
import { OrganizationService } from "./organizations/organization.service.js";
import { type Clock, type IdSource, systemClock } from "./ports.js";
import { UserService } from "./users/user.service.js";
import { WorkspaceMemberService } from "./workspaces/member.service.js";
import { WorkspaceService } from "./workspaces/workspace.service.js";

export interface Services {
  deps: ServiceDeps;
  organizations: OrganizationService;
  users: UserService;
  invites: InviteService;
  workspaces: WorkspaceService;
  members: WorkspaceMemberService;
  apiKeys: ApiKeyService;
  adminKeys: AdminKeyService;
}

/** Explicit wiring: every service over the same store, clock and id source. */
export function createServices(
  store: Store,
  options: { clock?: Clock; ids?: IdSource } = {},
): Services {
  const clock = options.clock ?? systemClock;
  const deps: ServiceDeps = { store, clock, ids: options.ids ?? new TimeSortableIds(clock) };
  return {
    deps,
    organizations: new OrganizationService(deps),
    users: new UserService(deps),
    invites: new InviteService(deps),
    workspaces: new WorkspaceService(deps),
    members: new WorkspaceMemberService(deps),
    apiKeys: new ApiKeyService(deps),
    adminKeys: new AdminKeyService(deps),
  };
}
