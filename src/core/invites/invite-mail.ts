import type { Mailer } from "../mail/mailer.js";

/** How invitations are delivered by email, when SMTP is configured. */
export interface InviteMailOptions {
  mailer: Mailer;
  /** Where invitees reach Steward (STEWARD_PUBLIC_URL), for the accept command in the email. */
  publicUrl?: string | undefined;
  /** An invitation could not be sent; the invite itself stands. */
  onFailure: (error: unknown, invite: { id: string; organizationId: string }) => void;
}

export interface InvitationDetails {
  organizationName: string;
  email: string;
  role: string;
  token: string;
  expiresAt: string;
  publicUrl?: string | undefined;
}

const PLACEHOLDER_URL = "https://STEWARD-ADDRESS";

/**
 * The invitation: the one-time token, the console's page that accepts it, and the same with
 * POST /v1/invites/accept.
 */
export function invitationMessage(details: InvitationDetails): {
  to: string[];
  subject: string;
  text: string;
} {
  const base = (details.publicUrl ?? PLACEHOLDER_URL).replace(/\/+$/, "");
  const body = JSON.stringify({ token: details.token, name: "Your Name" });
  const lines = [
    `You are invited to join ${details.organizationName} on Steward, its admin plane for the`,
    `Claude API, with the role ${details.role}.`,
    "",
    "Your one-time invitation token:",
    "",
    `  ${details.token}`,
    "",
    `To accept, open this link before ${details.expiresAt}:`,
    "",
    `  ${base}/console/invites/accept?token=${encodeURIComponent(details.token)}`,
    "",
    "Or send the token with your name to Steward's API:",
    "",
    `  curl -X POST ${base}/v1/invites/accept \\`,
    `    -H "content-type: application/json" \\`,
    `    -d '${body}'`,
    "",
    "The answer is your new user. The token works once; no other credential is needed.",
  ];
  if (details.publicUrl === undefined) {
    lines.push(
      `Ask whoever invited you for Steward's address and put it in place of ${PLACEHOLDER_URL}.`,
    );
  }
  lines.push(
    "",
    "If you did not expect this invitation, ignore this email: the invitation expires unused.",
    "",
  );
  return {
    to: [details.email],
    subject: `Your invitation to ${details.organizationName} on Steward`,
    text: lines.join("\n"),
  };
}
