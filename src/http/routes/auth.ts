import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { errorResponses } from "../../contract/common.js";
import {
  AdminKeySignInParams,
  AuthMethods,
  EmailLinkParams,
  EmailLinkSent,
  EmailLinkVerifyQuery,
  OidcCallbackQuery,
  OidcStartQuery,
  Session,
} from "../../contract/sessions.js";
import { AppError } from "../../core/errors.js";
import type { Services } from "../../core/services.js";
import { EmailLinkError } from "../../core/sessions/email-link.js";
import { OidcSignInError } from "../../core/sessions/oidc-sign-in.js";
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

/** The state of a sign-in at the identity provider, between the redirect and the callback. */
const OIDC_FLOW_COOKIE = "steward_oidc";
const OIDC_PATH = "/auth/oidc";

/** Where the console shows why a sign-in failed. */
function signInError(code: string): string {
  return `/console/sign-in?error=${encodeURIComponent(code)}`;
}

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
    () => {
      const oidc = services.oidc;
      if (oidc !== undefined && !oidc.enabled) {
        void oidc.discover(); // an issuer unreachable so far is tried again, at most every 30 s
      }
      return {
        oidc: { enabled: oidc?.enabled ?? false, label: oidc?.label ?? null },
        email_link: services.emailLinks !== undefined,
        admin_key: true as const,
      };
    },
  );

  app.get(
    `${OIDC_PATH}/start`,
    {
      schema: {
        operationId: "startOidcSignIn",
        tags,
        security: [],
        querystring: OidcStartQuery,
        response: { 302: z.null().describe("To the identity provider"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const oidc = services.oidc;
      if (oidc === undefined) {
        return reply.redirect(signInError("oidc_failed"));
      }
      const { url, flowCookie } = await oidc.start(request.query.return_to);
      reply.setCookie(OIDC_FLOW_COOKIE, flowCookie, {
        httpOnly: true,
        sameSite: "lax",
        path: OIDC_PATH,
        secure: isSecure(request, options),
        maxAge: 600,
      });
      return reply.redirect(url);
    },
  );

  app.get(
    `${OIDC_PATH}/callback`,
    {
      schema: {
        operationId: "finishOidcSignIn",
        tags,
        security: [],
        querystring: OidcCallbackQuery,
        response: {
          302: z.null().describe("To the console, signed in or with an error"),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const oidc = services.oidc;
      const flow = request.cookies[OIDC_FLOW_COOKIE];
      reply.clearCookie(OIDC_FLOW_COOKIE, { path: OIDC_PATH });
      if (oidc === undefined) {
        return reply.redirect(signInError("oidc_failed"));
      }
      const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
      try {
        const { opened, returnTo } = await oidc.finish(query, flow, requestMeta(request));
        setSessionCookie(request, reply, opened, options);
        return reply.redirect(returnTo);
      } catch (error) {
        if (error instanceof OidcSignInError) {
          request.log.info(
            { reason: error.message },
            `OpenID Connect sign-in refused: ${error.code}`,
          );
          return reply.redirect(signInError(error.code));
        }
        request.log.warn({ err: error }, "OpenID Connect sign-in failed");
        return reply.redirect(signInError("oidc_failed"));
      }
    },
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

  app.post(
    "/auth/email-link",
    {
      schema: {
        operationId: "requestEmailLink",
        tags,
        security: [],
        body: EmailLinkParams,
        response: { 202: EmailLinkSent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const links = services.emailLinks;
      if (links === undefined) {
        throw new AppError(
          "invalid_request_error",
          "sign-in links by email need SMTP_URL and STEWARD_PUBLIC_URL to be configured",
        );
      }
      await links
        .admit(request.body.email, requestMeta(request).clientIp)
        .catch(withRetryAfter(reply));
      void links.request(request.body.email, request.body.return_to);
      return reply.code(202).send({});
    },
  );

  app.get(
    "/auth/email-link/verify",
    {
      schema: {
        operationId: "verifyEmailLink",
        tags,
        security: [],
        querystring: EmailLinkVerifyQuery,
        response: {
          302: z.null().describe("To the console, signed in or with an error"),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const links = services.emailLinks;
      if (links === undefined) {
        return reply.redirect(signInError("link_invalid"));
      }
      try {
        const { opened, returnTo } = await links.verify(request.query.token, requestMeta(request));
        setSessionCookie(request, reply, opened, options);
        return reply.redirect(returnTo);
      } catch (error) {
        if (error instanceof EmailLinkError) {
          return reply.redirect(signInError(error.code));
        }
        throw error;
      }
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
