import { hashSecret } from "./secrets.js";
import type { Services } from "./services.js";

export interface BootstrapOptions {
  organizationName: string;
  ownerEmail: string;
  ownerName: string;
  adminKey?: string | undefined;
}

export type BootstrapResult =
  /** `adminKeyIgnored`: the key given is not one of this database's, which was bootstrapped before. */
  | { created: false; adminKeyIgnored: boolean }
  | { created: true; organizationId: string; adminKey: string; adminKeyInjected: boolean };

/**
 * On an empty database: the organization, its owner, the default workspace and a first admin key.
 * On any later start it changes nothing.
 */
export async function bootstrap(
  services: Services,
  options: BootstrapOptions,
): Promise<BootstrapResult> {
  const created = await services.deps.store.transaction(async (repos) => {
    await repos.organizations.lockBootstrap();
    if ((await repos.organizations.list()).length > 0) {
      return undefined;
    }
    return services.organizations.createWithin(
      repos,
      {
        name: options.organizationName,
        ownerEmail: options.ownerEmail,
        ownerName: options.ownerName,
        adminKey: options.adminKey,
      },
      { type: "system", id: null },
    );
  });
  if (created === undefined) {
    const adminKeyIgnored =
      options.adminKey !== undefined &&
      !(await services.deps.store.read.adminKeys.findByHash(hashSecret(options.adminKey)));
    return { created: false, adminKeyIgnored };
  }
  return {
    created: true,
    organizationId: created.organization.id,
    adminKey: created.adminKey,
    adminKeyInjected: options.adminKey !== undefined,
  };
}
