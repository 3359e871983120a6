import { organization } from "./examples.js";
import { type OperationDoc, type OperationDocs, onAnthropicPath } from "./types.js";

const get: OperationDoc = {
  summary: "Get the organization",
  description:
    "Answers the organization the calling admin key belongs to: its name, billing (`plan` is `self_hosted`; `usage_limit_usd` is the monthly spend limit the gateway enforces, `null` for none; `current_month_usage_usd` is this UTC month's recorded spend) and settings (`allowed_ip_ranges` is the gateway's IP allow-list, empty for everyone).",
  response: organization,
};

const update: OperationDoc = {
  summary: "Update the organization",
  description:
    "Changes the name, settings and monthly spend limit; fields left out keep their value. `settings.allowed_ip_ranges` replaces the gateway's IP allow-list (IPv4 and IPv6 CIDRs, normalized: `203.0.113.7/24` is kept as `203.0.113.0/24`; `[]` admits every address). `billing.usage_limit_usd` sets the monthly spend limit in USD (`null` removes it). The gateway applies both from its very next request.",
  audit: ["organization.updated"],
  request: {
    name: "Acme Corporation",
    settings: { require_mfa: true, allowed_ip_ranges: ["203.0.113.0/24", "198.51.100.0/24"] },
    billing: { usage_limit_usd: 10000 },
  },
  response: organization,
};

/** `GET`, `POST` and `PATCH /v1/organizations`, and Anthropic's `GET /v1/organizations/me`. */
export const organizationDocs: OperationDocs = {
  seedGetOrganization: get,
  seedUpdateOrganization: {
    ...update,
    summary: "Update the organization (POST)",
    description: `${update.description}\n\nThe same operation as \`PATCH /v1/organizations\`, under the method the Python client sends.`,
  },
  seedPatchOrganization: update,
  getOrganizationMe: onAnthropicPath(get, "GET /v1/organizations"),
};
