/**
 * The console's connection to Steward: the SDK in session mode, for the Admin API and for the
 * sign-in endpoints under /auth alike.
 */
import { APIError, type AuthMethods, type Session, StewardAdmin } from "@steward/sdk";

export type { AuthMethods, Session };
export type Role = Session["user"]["role"];

let csrfToken: string | undefined;
let onSessionEnded: (() => void) | undefined;

/**
 * Called when the Admin API answers 401: the session expired or was ended (sign-out elsewhere, or
 * the member was removed, offboarded or demoted). The app goes back to the sign-in page.
 */
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

async function sessionFetch(input: string | URL | Request, init?: RequestInit) {
  const response = await fetch(input, init);
  if (response.status === 401) {
    csrfToken = undefined;
    onSessionEnded?.();
  }
  return response;
}

/** The Admin API, authenticated by the session cookie; the CSRF token of the current session. */
export const admin = new StewardAdmin({
  session: { csrfToken: () => csrfToken },
  fetch: sessionFetch,
  // A person is waiting: one quick retry of a GET, not three slow ones.
  maxRetries: 1,
  timeout: 30_000,
});

function isUnauthenticated(error: unknown): boolean {
  return error instanceof APIError && error.status === 401;
}

/** The current session, or null when nobody is signed in. */
export async function loadSession(): Promise<Session | null> {
  try {
    const session = await admin.auth.session();
    csrfToken = session.csrf_token;
    return session;
  } catch (error) {
    if (isUnauthenticated(error)) {
      return null;
    }
    throw error;
  }
}

/** The sign-in methods; the admin key only when the server cannot say. */
export async function loadAuthMethods(): Promise<AuthMethods> {
  try {
    return await admin.auth.methods();
  } catch {
    return { oidc: { enabled: false, label: null }, email_link: false, admin_key: true };
  }
}

export async function signInWithAdminKey(key: string): Promise<Session> {
  const session = await admin.auth.signInWithAdminKey({ key });
  csrfToken = session.csrf_token;
  return session;
}

/** Asks for a sign-in link by email (the same answer whether or not the address is a member's). */
export async function requestEmailLink(email: string, returnTo: string): Promise<void> {
  await admin.auth.requestEmailLink({ email, return_to: returnTo });
}

export async function signOut(): Promise<void> {
  try {
    await admin.auth.signOut();
  } finally {
    csrfToken = undefined;
  }
}

/** Where the OpenID Connect sign-in starts, coming back to `returnTo`. */
export function oidcStartUrl(returnTo: string): string {
  return `/auth/oidc/start?${new URLSearchParams({ return_to: returnTo })}`;
}

/** A sentence for a person from any error the API or the network gave. */
export function errorMessage(error: unknown): string {
  if (error instanceof APIError) {
    const message = (error.error as { error?: { message?: string } } | undefined)?.error?.message;
    return message ?? error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** Whether an error means "not allowed for your role" (the page hides the part instead). */
export function isForbidden(error: unknown): boolean {
  return error instanceof APIError && error.status === 403;
}

/** Every item of a list, across its pages, up to `max` (a console page shows no more). */
export async function collect<T>(items: AsyncIterable<T>, max = 1000): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
    if (all.length >= max) {
      break;
    }
  }
  return all;
}
