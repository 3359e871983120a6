/**
 * The error catalogue (src/contract/errors.ts) against what Steward answers: /openapi.json
 * documents every status and code of the admin API, and every site that writes an error (the
 * error handler, the router's refusals, the HTTP parser's, Idempotency-Key's, the gateway's front
 * door and its refusals) writes exactly the bytes of the catalogue's one writer, errorBody.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_ERROR_STATUSES,
  ERROR_CODES,
  ERROR_TYPES,
  type ErrorCode,
  type ErrorType,
  errorBody,
} from "../src/contract/errors.js";
import { NON_ADMIN_TAGS } from "../src/http/routes/docs/tags.js";
import { ask, type GatewayEnv, rawMessages, startGatewayEnv } from "./gateway-support.js";
import { BACKENDS } from "./harness.js";

const SQLITE = BACKENDS[0] as (typeof BACKENDS)[number];

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Asserts that `answer` is errorBody's text for its type, message and code, with its request id. */
function expectWrittenByCatalogue(
  answer: Answer,
  status: number,
  type: ErrorType,
  errorCode?: ErrorCode,
): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.text) as { error: { message: string }; request_id: string };
  expect(parsed.request_id).toBe(answer.headers.get("request-id"));
  expect(answer.text).toBe(errorBody(type, parsed.error.message, parsed.request_id, errorCode));
  if (errorCode !== undefined) {
    expect({ status, type }).toEqual({
      status: ERROR_CODES[errorCode].status,
      type: ERROR_CODES[errorCode].type,
    });
  }
}

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Sends raw bytes and reads the answer until the server closes the connection. */
function rawAnswer(port: number, bytes: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, text: body });
    });
  });
}

describe("the error catalogue", () => {
  let env: GatewayEnv;
  let doc: any;
  beforeAll(async () => {
    env = await startGatewayEnv(SQLITE);
    doc = (await env.server.get("/openapi.json")).body;
  });
  afterAll(async () => {
    await env?.close();
  });

  it("documents every status and code the admin API answers in /openapi.json", () => {
    expect(ADMIN_ERROR_STATUSES).toEqual(expect.arrayContaining([400, 401, 404, 422, 429, 503]));
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        // The gateway's paths and the probes are described too, with their own answers.
        if (operation === undefined || NON_ADMIN_TAGS.includes(operation.tags[0])) {
          continue;
        }
        for (const status of ADMIN_ERROR_STATUSES) {
          expect(
            operation.responses[String(status)]?.content["application/json"].schema,
            `${method.toUpperCase()} ${path} ${status}`,
          ).toEqual({ $ref: "#/components/schemas/Error" });
        }
      }
    }
    const error = doc.components.schemas.Error.properties.error.properties;
    expect(error.type.enum).toEqual(Object.keys(ERROR_TYPES));
    expect(error.details.properties.error_code.enum).toEqual(Object.keys(ERROR_CODES));
  });

  it("answers a service's refusal with its code's status and type", async () => {
    const response = await fetch(`${env.baseURL}/v1/api_keys?after_id=a&before_id=b`, {
      headers: { "x-api-key": env.server.org.adminKey },
    });
    expectWrittenByCatalogue(
      await answerOf(response),
      400,
      "invalid_request_error",
      "invalid_cursor",
    );
  });

  it("answers a reused Idempotency-Key with 422 through the catalogue", async () => {
    const send = (name: string) =>
      fetch(`${env.baseURL}/v1/workspaces`, {
        method: "POST",
        headers: {
          "x-api-key": env.server.org.adminKey,
          "content-type": "application/json",
          "idempotency-key": "catalogue-reuse",
        },
        body: JSON.stringify({ name }),
      });
    expect((await send("Catalogue one")).status).toBe(200);
    expectWrittenByCatalogue(
      await answerOf(await send("Catalogue two")),
      422,
      "invalid_request_error",
      "idempotency_key_reused",
    );
  });

  it("answers the router's, the not-found handler's and the HTTP parser's refusals through it", async () => {
    const port = Number(new URL(env.baseURL).port);
    expectWrittenByCatalogue(
      await answerOf(await fetch(`${env.baseURL}/v1/nothing`)),
      404,
      "not_found_error",
    );
    expectWrittenByCatalogue(
      await answerOf(await fetch(`${env.baseURL}/v1/workspaces/${"w".repeat(101)}`)),
      414,
      "invalid_request_error",
    );
    expectWrittenByCatalogue(
      await rawAnswer(port, "GET /v1/organizations HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n"),
      400,
      "invalid_request_error",
    );
  });

  it("answers the gateway's front door and its refusals through it", async () => {
    const { key } = await env.newKey();
    expectWrittenByCatalogue(
      await answerOf(await rawMessages(env, "sk-ant-unknown", JSON.stringify(ask()))),
      401,
      "authentication_error",
    );
    expectWrittenByCatalogue(
      await answerOf(
        await rawMessages(env, key, JSON.stringify(ask()), { "anthropic-version": "latest" }),
      ),
      400,
      "invalid_request_error",
    );
    const spent = await env.newKey({ monthly_spend_usd: 0 });
    expectWrittenByCatalogue(
      await answerOf(await rawMessages(env, spent.key, JSON.stringify(ask()))),
      400,
      "invalid_request_error",
      "workspace_spend_limit_reached",
    );
  });
});
