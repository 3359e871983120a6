/**
 * The console's connection to Steward: the SDK in session mode for the Admin API, and the
 * sign-in endpoints under /auth (not part of the Admin API, so called with fetch here).
 */
import { APIError, StewardAdmin } from "@steward/sdk";

export type Role = "owner" | "admin" | "developer" | "user";

/** `GET /auth/session`: who is signed in, and the CSRF token their changes must carry. */
export interface Session {
  type: "session";
  id: string;
  user: { id: string; email: string; name: string; role: Role };
  organization_id: string;
  csrf_token: string;
  method: "oidc" | "email_link" | "admin_key";
  created_at: string;
  expires_at: string;
  idle_expires_at: string;
}

/** `GET /auth/methods`: which sign-in methods this Steward offers. */
export interface AuthMethods {
  oidc: { enabled: boolean; label: string | null };
  email_link: boolean;
  admin_key: true;
}

let csrfToken: string | undefined;

/** The Admin API, authenticated by the session cookie; the CSRF token of the current session. */
export const admin = new StewardAdmin({
  session: { csrfToken: () => csrfToken },
  // A person is waiting: one quick retry of a GET, not three slow ones.
  maxRetries: 1,
  timeout: 30_000,
});

/** An error from /auth, carrying the server's message. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function authRequest(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
  }
  if (method !== "GET" && csrfToken !== undefined) {
    headers["x-csrf-token"] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    throw new AuthError(response.status, await messageOf(response));
  }
  return response;
}

async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) {
      return body.error.message;
    }
  } catch {
    // not the envelope
  }
  return `Steward answered ${response.status} ${response.statusText}`;
}

/** The current session, or null when nobody is signed in. */
export async function loadSession(): Promise<Session | null> {
  try {
    const session = (await (await authRequest("GET", "/auth/session")).json()) as Session;
    csrfToken = session.csrf_token;
    return session;
  } catch (error) {
    if (error instanceof AuthError && error.status === 401) {
      csrfToken = undefined;
      return null;
    }
    throw error;
  }
}

/** The sign-in methods; the admin key only when the server cannot say. */
export async function loadAuthMethods(): Promise<AuthMethods> {
  try {
    return (await (await authRequest("GET", "/auth/methods")).json()) as AuthMethods;
  } catch {
    return { oidc: { enabled: false, label: null }, email_link: false, admin_key: true };
  }
}

export async function signInWithAdminKey(key: string): Promise<Session> {
  const session = (await (await authRequest("POST", "/auth/admin-key", { key })).json()) as Session;
  csrfToken = session.csrf_token;
  return session;
}

export async function requestEmailLink(email: string, returnTo: string): Promise<void> {
  await authRequest("POST", "/auth/email-link", { email, return_to: returnTo });
}

export async function signOut(): Promise<void> {
  try {
    await authRequest("POST", "/auth/sign-out");
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
