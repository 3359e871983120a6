import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  onSendHookHandler,
  RouteHandlerMethod,
} from "fastify";
import { z } from "zod";
import { ErrorEnvelope } from "../contract/common.js";
import {
  IDEMPOTENCY_KEY_MESSAGE,
  IDEMPOTENCY_KEY_PATTERN,
  type IdempotencyAttempt,
  type IdempotencyDecision,
  IdempotencyKeyTaken,
} from "../core/idempotency.js";
import type { Services } from "../core/services.js";
import { withTransactionClaim } from "../core/storage.js";
import { sendError } from "./errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route accepts an `Idempotency-Key` header (see installIdempotency). */
    idempotent?: boolean;
  }
}

/** Set on a response that repeats the first response to the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = "idempotent-replayed";

const REUSED_MESSAGE =
  "this Idempotency-Key was already used for a different request (another method, path or body) in the last 24 hours; use a new key for a new request";

const IdempotencyKeyHeaders = z.looseObject({
  "idempotency-key": z
    .string()
    .regex(IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_MESSAGE)
    .optional()
    .describe(
      "Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests.",
    ),
});

const JSON_TYPE = "application/json; charset=utf-8";

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function isDryRun(body: unknown): boolean {
  return (body as { dry_run?: unknown } | null | undefined)?.dry_run === true;
}

function answer(
  decision: Exclude<IdempotencyDecision, { kind: "execute" }>,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (decision.kind === "replay") {
    return reply
      .code(decision.status)
      .header(IDEMPOTENT_REPLAYED_HEADER, "true")
      .type(JSON_TYPE)
      .send(decision.body);
  }
  return sendError(
    reply,
    request,
    "invalid_request_error",
    REUSED_MESSAGE,
    "idempotency_key_reused",
  );
}

/**
 * `Idempotency-Key` on the routes of `scope` marked `config: { idempotent: true }` (all behind an
 * admin key): the header joins the route's schema (validated, and documented in /openapi.json),
 * and the handler runs under the key's record. Its first transaction writes the record
 * (Store.transaction, TransactionClaim), so the record commits with the work; the response is
 * stored, encrypted, as it is sent. A repeat is answered from the record and never runs the
 * handler, so it writes nothing (no audit record either).
 */
export function installIdempotency(scope: FastifyInstance, services: Services): void {
  const { idempotency } = services;
  const running = new WeakMap<FastifyRequest, IdempotencyAttempt>();

  const storeResponse: onSendHookHandler = async (request, reply, payload) => {
    const attempt = running.get(request);
    if (attempt === undefined) {
      return payload;
    }
    running.delete(request);
    if (typeof payload !== "string" && !Buffer.isBuffer(payload)) {
      idempotency.abandon(attempt);
      return payload;
    }
    try {
      await idempotency.finish(attempt, reply.statusCode, payload.toString());
    } catch (error) {
      // The work stands; a repeat will be told its response was not kept.
      request.log.error({ err: error }, "could not store the response of an idempotent request");
    }
    return payload;
  };
  const letGo: onResponseHookHandler = async (request) => {
    const attempt = running.get(request);
    if (attempt !== undefined) {
      running.delete(request);
      idempotency.abandon(attempt);
    }
  };

  scope.addHook("onRoute", (route) => {
    if (route.config?.idempotent !== true) {
      return;
    }
    const schema = route.schema ?? {};
    if (schema.headers !== undefined) {
      throw new Error(`${route.method} ${route.url}: an idempotent route takes no other headers`);
    }
    // Routes without a body ignore any sent; it does not make two requests differ.
    const hasBody = schema.body !== undefined;
    route.schema = {
      ...schema,
      headers: IdempotencyKeyHeaders,
      response: { ...(schema.response as object | undefined), 422: ErrorEnvelope },
    };
    const handler = route.handler as RouteHandlerMethod;
    const idempotent = async function (
      this: FastifyInstance,
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<unknown> {
      const key = request.headers["idempotency-key"];
      // A dry run changes nothing, so there is nothing to make safe to retry, and its answer is
      // not recorded against the key (it writes nothing, not even that).
      if (typeof key !== "string" || isDryRun(request.body)) {
        return handler.call(this, request, reply);
      }
      const decision = await idempotency.begin({
        organizationId: request.ctx.organizationId,
        key,
        fingerprint: {
          method: request.method,
          route: request.routeOptions.url,
          params: request.params,
          query: request.query,
          body: hasBody ? request.body : null,
        },
      });
      if (decision.kind !== "execute") {
        return answer(decision, request, reply);
      }
      const { attempt } = decision;
      running.set(request, attempt);
      try {
        return await withTransactionClaim(attempt, () => handler.call(this, request, reply));
      } catch (error) {
        if (error instanceof IdempotencyKeyTaken) {
          running.delete(request);
          return answer(await idempotency.afterTaken(attempt), request, reply);
        }
        throw error;
      } finally {
        attempt.close();
      }
    };
    route.handler = idempotent as RouteHandlerMethod;
    route.onSend = [...asArray(route.onSend), storeResponse];
    route.onResponse = [...asArray(route.onResponse), letGo];
  });
}
