import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { errorResponses } from "../../contract/common.js";
import { AdminKeySignInParams, AuthMethods, Session } from "../../contract/sessions.js";
import type { Services } from "../../core/services.js";
import type { OpenedSession } from "../../core/sessions/session.service.js";
import {
  authenticateSession,
  requestMeta,
  SESSION_COOKIE,
  type SessionAuthOptions,
  withRetryAfter,
} from "../admin-auth.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";

export type AuthRouteOptions = SessionAuthOptions;

/** Secure when the request came over HTTPS (per TRUST_PROXY) or Steward's public URL is https. */
function isSecure(request: FastifyRequest, options: AuthRouteOptions): boolean {
  return request.protocol === "https" || options.publicUrl?.startsWith("https:") === true;
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  opened: OpenedSession,
  options: AuthRouteOptions,
): void {
  reply.setCookie(SESSION_COOKIE, opened.secret, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: isSecure(request, options),
    expires: new Date(opened.session.expires_at),
  });
}

/**
 * The web console's sign-in (`/auth/*`, docs/console.md): which methods this server offers,
 * sign-in with an admin key, the current session, and sign-out. Outside the admin key's scope:
 * each route checks what it needs itself (the sign-in routes take no credential).
 */
export function registerAuthRoutes(app: ZodApp, services: Services, options: AuthRouteOptions) {
  const tags = [TAG.sessions];

  app.get(
    "/auth/methods",
    {
      schema: {
        operationId: "getAuthMethods",
        tags,
        security: [],
        response: { 200: AuthMethods, ...errorResponses },
      },
    },
    () => ({
      oidc: { enabled: false, label: null },
      email_link: services.mailer !== undefined,
      admin_key: true as const,
    }),
  );

  app.post(
    "/auth/admin-key",
    {
      schema: {
        operationId: "signInWithAdminKey",
        tags,
        security: [],
        body: AdminKeySignInParams,
        response: { 200: Session, ...errorResponses },
      },
    },
    async (request, reply) => {
      const opened = await services.sessions
        .signInWithAdminKey(request.body.key, requestMeta(request))
        .catch(withRetryAfter(reply));
      setSessionCookie(request, reply, opened, options);
      return opened.session;
    },
  );

  app.get(
    "/auth/session",
    {
      schema: {
        operationId: "getSession",
        tags,
        response: { 200: Session, ...errorResponses },
      },
    },
    async (request) => (await authenticateSession(request, services, options)).session,
  );

  app.post(
    "/auth/sign-out",
    {
      schema: {
        operationId: "signOut",
        tags,
        response: { 204: z.null().describe("Signed out: the session ended"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = await authenticateSession(request, services, options);
      await services.sessions.signOut(principal, requestMeta(request));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );
}
