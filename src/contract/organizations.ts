import ipaddr from "ipaddr.js";
import { z } from "zod";
import { Name, Timestamp, Usd } from "./common.js";

/** A CIDR such as `203.0.113.0/24` or `2001:db8::/32`, normalized (`203.0.113.7/24` → `203.0.113.0/24`). */
export const Cidr = z.string().transform((value, ctx) => {
  try {
    const [address, bits] = ipaddr.parseCIDR(value.trim());
    const network =
      address.kind() === "ipv4"
        ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
        : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
    return `${network.toString()}/${bits}`;
  } catch {
    ctx.addIssue({
      code: "custom",
      message: `not a valid IPv4 or IPv6 CIDR: ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
});

export const Organization = z
  .object({
    id: z.string(),
    type: z.literal("organization"),
    name: z.string(),
    created_at: Timestamp,
    billing: z.object({
      plan: z.string(),
      usage_limit_usd: z.number().nullable(),
      current_month_usage_usd: z.number(),
    }),
    settings: z.object({
      default_model: z.string().nullable(),
      require_mfa: z.boolean(),
      allowed_ip_ranges: z.array(z.string()),
    }),
  })
  .meta({ id: "Organization" });
export type Organization = z.output<typeof Organization>;

export const OrganizationUpdateParams = z
  .strictObject({
    name: Name(200).optional(),
    settings: z
      .strictObject({
        default_model: Name(200).nullable().optional(),
        require_mfa: z.boolean().optional(),
        allowed_ip_ranges: z.array(Cidr).max(1000).optional(),
      })
      .optional(),
    billing: z
      .strictObject({
        usage_limit_usd: Usd.nullable().optional(),
      })
      .optional(),
  })
  .meta({ id: "OrganizationUpdateParams" });
export type OrganizationUpdateParams = z.output<typeof OrganizationUpdateParams>;
