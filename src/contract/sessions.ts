import { z } from "zod";
import { Timestamp } from "./common.js";
import { Email, OrganizationRole } from "./users.js";

/** How people may sign in to the web console on this server. */
export const AuthMethods = z
  .object({
    oidc: z.object({
      enabled: z
        .boolean()
        .describe("OIDC_ISSUER is configured and its discovery document was read"),
      label: z.string().nullable().describe("The identity provider's name, for the button"),
    }),
    email_link: z.boolean().describe("SMTP is configured: a sign-in link can be emailed"),
    admin_key: z.literal(true).describe("An owner or admin can always sign in with their key"),
  })
  .meta({ id: "AuthMethods" });
export type AuthMethods = z.output<typeof AuthMethods>;

export const SignInMethod = z.enum(["admin_key", "oidc", "email_link"]);

export const Session = z
  .object({
    type: z.literal("session"),
    id: z.string().describe("The session's id (`sess_…`), not its secret"),
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: OrganizationRole,
    }),
    organization_id: z.string(),
    csrf_token: z
      .string()
      .describe(
        "Send as `x-csrf-token` on every POST, PUT, PATCH and DELETE made with the session",
      ),
    method: SignInMethod,
    created_at: Timestamp,
    expires_at: Timestamp.describe("The absolute limit (SESSION_MAX_AGE after sign-in)"),
    idle_expires_at: Timestamp.describe(
      "When the session ends unless used before (SESSION_IDLE_TIMEOUT after its last use)",
    ),
  })
  .meta({ id: "Session" });
export type Session = z.output<typeof Session>;

export const AdminKeySignInParams = z
  .strictObject({
    key: z.string().min(1).max(500).describe("An admin key held by an owner or admin"),
  })
  .meta({ id: "AdminKeySignInParams" });

/** A path of the console to land on after sign-in; anything else is ignored. */
export const ReturnTo = z.string().max(2000);

export const EmailLinkParams = z
  .strictObject({
    email: Email,
    return_to: ReturnTo.optional(),
  })
  .meta({ id: "EmailLinkParams" });

export const EmailLinkSent = z.strictObject({}).meta({ id: "EmailLinkSent" });

export const OidcStartQuery = z.object({ return_to: ReturnTo.optional() });

export const OidcCallbackQuery = z.looseObject({
  code: z.string().max(4000).optional(),
  state: z.string().max(4000).optional(),
  error: z.string().max(500).optional(),
});

export const EmailLinkVerifyQuery = z.object({ token: z.string().max(500) });
