import type { Services } from "./services.js";

export interface BootstrapOptions {
  organizationName: string;
  ownerEmail: string;
  ownerName: string;
  adminKey?: string | undefined;
}

export type BootstrapResult =
  | { created: false }
  | { created: true; organizationId: string; adminKey: string; adminKeyInjected: boolean };

/**
 * On an empty database: the organization, its owner, the default workspace and a first admin key.
 * On any later start it changes nothing.
 */
export async function bootstrap(services: Services, options: BootstrapOptions): Promise<BootstrapResult> {
  const existing = await services.deps.store.read.organizations.list();
  if (existing.length > 0) {
    return { created: false };
  }
  const created = await services.organizations.create(
    {
      name: options.organizationName,
      ownerEmail: options.ownerEmail,
      ownerName: options.ownerName,
      adminKey: options.adminKey,
    },
    { type: "system", id: null },
  );
  return {
    created: true,
    organizationId: created.organization.id,
    adminKey: created.adminKey,
    adminKeyInjected: options.adminKey !== undefined,
  };
}
