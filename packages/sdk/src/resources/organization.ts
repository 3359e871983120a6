import type { APIPromise } from "../core/api-promise.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf } from "../internal/types.js";

/**
 * The organization: `id`, `name`, `billing {plan, usage_limit_usd, current_month_usage_usd}`,
 * `settings {default_model, require_mfa, allowed_ip_ranges}`.
 */
export type Organization = components["schemas"]["Organization"];
/** Fields to change; only the fields sent change (`settings.allowed_ip_ranges` is replaced). */
export type OrganizationUpdateParams = BodyOf<operations["seedPatchOrganization"]>;

export class OrganizationResource extends APIResource {
  /**
   * The organization of the admin key, with its billing (`current_month_usage_usd`) and
   * settings: the seed's `GET /v1/organizations`.
   *
   * @example
   * ```ts
   * const org = await admin.organization.retrieve();
   * console.log(org.name, org.billing.current_month_usage_usd);
   * ```
   */
  retrieve(options?: RequestOptions): APIPromise<Organization> {
    return this._client._call("organization.retrieve", {}, options);
  }

  /**
   * The same organization object at Anthropic's path, `GET /v1/organizations/me`.
   *
   * @example
   * ```ts
   * const { id, name } = await admin.organization.me();
   * ```
   */
  me(options?: RequestOptions): APIPromise<Organization> {
    return this._client._call("organization.me", {}, options);
  }

  /**
   * Updates the name, settings or billing limit (`PATCH /v1/organizations`); only the fields sent
   * change.
   *
   * @example
   * ```ts
   * const org = await admin.organization.update({
   *   settings: { allowed_ip_ranges: ["203.0.113.0/24"] },
   *   billing: { usage_limit_usd: 5000 },
   * });
   * ```
   */
  update(body: OrganizationUpdateParams, options?: RequestOptions): APIPromise<Organization> {
    return this._client._call("organization.update", { body }, options);
  }
}
