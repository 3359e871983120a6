// Imported for their registration: the document's components are every schema with an id.
import "../../../contract/gateway.js";
import { ID } from "./examples.js";
import { TAG } from "./tags.js";
import type { MediaType, Paths } from "./types.js";

/**
 * The Claude API paths the gateway serves. They never reach Fastify (src/http/gateway-front-door.ts
 * answers them on the socket, without a schema), so they are described here and merged into the
 * document as they are: documenting them costs the hot path nothing.
 */

interface HeaderDoc {
  description: string;
  schema: Record<string, unknown>;
}

interface ResponseDoc {
  description: string;
  headers?: Record<string, HeaderDoc>;
  content: Record<string, MediaType>;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ERROR = ref("Error");
export const GATEWAY_SECURITY = [{ gatewayKey: [] }, { gatewayBearer: [] }];

const requestId = (id: string) => ({ type: "error", request_id: id });

function errorResponse(
  description: string,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
): ResponseDoc {
  return {
    description,
    content: {
      "application/json": {
        schema: ERROR,
        example: {
          ...requestId(ID.request),
          error: { type, message, ...extra },
        },
      },
    },
  };
}

const RATE_LIMIT_HEADERS: Record<string, HeaderDoc> = {
  "anthropic-ratelimit-requests-limit": {
    description: "The workspace's requests per minute, when it has a limit",
    schema: { type: "integer" },
  },
  "anthropic-ratelimit-requests-remaining": {
    description: "Requests left in the bucket",
    schema: { type: "integer" },
  },
  "anthropic-ratelimit-requests-reset": {
    description: "When the bucket is full again (RFC 3339)",
    schema: { type: "string", format: "date-time" },
  },
};

const RESPONSE_HEADERS: Record<string, HeaderDoc> = {
  "request-id": {
    description: "The upstream's request id (Steward's own when Steward answered)",
    schema: { type: "string" },
  },
  "x-steward-request-id": {
    description: "Steward's request id: the id of the request's usage event",
    schema: { type: "string" },
  },
  ...RATE_LIMIT_HEADERS,
};

/** The refusals of admission and of the upstream, shared by every gateway path. */
const ERRORS: Record<string, ResponseDoc> = {
  "400": errorResponse(
    "A malformed request (not JSON, no `model`, no positive integer `max_tokens`, a malformed `anthropic-version`), or (`POST /v1/messages`) a spend limit reached: `error.details.error_code` is `workspace_spend_limit_reached` or `organization_spend_limit_reached` and the message says when access returns (the 1st of next month, 00:00 UTC). A 400, as Anthropic answers a user-set spend limit, so the official SDK does not retry it.",
    "invalid_request_error",
    "You have reached your specified workspace API usage limits. You will regain access on 2026-05-01 at 00:00 UTC.",
    { details: { error_code: "workspace_spend_limit_reached" } },
  ),
  "401": errorResponse(
    "The API key is missing, unknown, revoked (archived), inactive, expired, or in an archived workspace.",
    "authentication_error",
    "invalid x-api-key",
  ),
  "403": errorResponse(
    "The client's address is not in the organization's IP allow-list (`settings.allowed_ip_ranges`). The address is the TCP peer's, or `X-Forwarded-For` from a proxy named in `TRUST_PROXY`.",
    "permission_error",
    "requests from 192.0.2.44 are not allowed by this organization's IP allow-list",
  ),
  "413": errorResponse(
    "The body is larger than `GATEWAY_BODY_LIMIT_BYTES` (32 MiB by default).",
    "request_too_large",
    "Request body is too large",
  ),
  "429": {
    ...errorResponse(
      "Over the workspace's requests per minute (a token bucket: a 60 RPM limit admits a burst of 60, then one a second), or the upstream's own rate limit, passed through.",
      "rate_limit_error",
      "this workspace's limit of 60 requests per minute is reached",
    ),
    headers: {
      "retry-after": {
        description: "Seconds until a request would be admitted",
        schema: { type: "integer" },
      },
      ...RATE_LIMIT_HEADERS,
    },
  },
  "502": errorResponse(
    "The upstream could not be reached. The request is metered with this status.",
    "api_error",
    "the upstream is unreachable",
  ),
  "503": errorResponse(
    "Steward is shutting down: retry on another node.",
    "overloaded_error",
    "Steward is shutting down",
  ),
  "504": errorResponse(
    "The upstream sent no headers, or no chunk of a stream, within `UPSTREAM_TIMEOUT_MS`.",
    "timeout_error",
    "the upstream did not answer in time",
  ),
  "529": errorResponse(
    "The upstream is overloaded (Anthropic's 529), passed through as it came; other upstream errors (500, …) are passed through too.",
    "overloaded_error",
    "Overloaded",
  ),
};

/** What every gateway path checks before it forwards; spend only where there is a cost. */
function admission(spend: boolean): string {
  const checks = spend
    ? "the key (401), the IP allow-list (403), the workspace's requests per minute (429 with `retry-after`), then the workspace's and organization's monthly spend limits (400)"
    : "the key (401), the IP allow-list (403), then the workspace's requests per minute (429 with `retry-after`); spend limits do not apply";
  return `**Admission**, in this order: ${checks}. The key is a Steward-issued API key (\`sk-ant-api03-…\`, \`POST /v1/api_keys\`) in \`x-api-key\` or \`Authorization: Bearer\`; the upstream is called with Steward's own credential, never the client's. Headers (\`anthropic-version\`, \`anthropic-beta\`, …) and the body pass through untouched.`;
}

const messageRequest = {
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Summarize our Q1 support tickets in three bullet points." }],
};

const message = {
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [
    {
      type: "text",
      text: "- Login issues fell by a third after the SSO fix\n- Billing questions doubled in March\n- Median first response stayed under two hours",
    },
  ],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: {
    input_tokens: 24,
    output_tokens: 41,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  },
};

const STREAM_EXAMPLE = [
  "event: message_start",
  'data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":24,"output_tokens":1}}}',
  "",
  "event: content_block_start",
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  "",
  "event: ping",
  'data: {"type": "ping"}',
  "",
  "event: content_block_delta",
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"- Login issues fell"}}',
  "",
  "event: content_block_stop",
  'data: {"type":"content_block_stop","index":0}',
  "",
  "event: message_delta",
  'data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":41}}',
  "",
  "event: message_stop",
  'data: {"type":"message_stop"}',
  "",
  "",
].join("\n");

const models = [
  {
    id: "claude-sonnet-4-5-20250929",
    type: "model",
    display_name: "Claude Sonnet 4.5",
    created_at: "2025-09-29T00:00:00Z",
  },
  {
    id: "claude-haiku-4-5-20251001",
    type: "model",
    display_name: "Claude Haiku 4.5",
    created_at: "2025-10-01T00:00:00Z",
  },
];

const json = (schema: { $ref: string }, example: unknown): Record<string, MediaType> => ({
  "application/json": { schema, example },
});

export const GATEWAY_PATHS: Paths = {
  "/v1/messages": {
    post: {
      operationId: "createMessage",
      tags: [TAG.gateway],
      summary: "Send a message to Claude",
      description: `Anthropic's Messages API through the gateway: forwarded to the upstream's \`POST /v1/messages\`, answered with the upstream's status, headers and body as they come, and metered (one usage event per request: tokens by kind, cost, status, latency).\n\nWith \`stream: true\` the answer is \`text/event-stream\`, passed through chunk by chunk: \`message_start\` (the input usage), \`content_block_start\`, \`content_block_delta\`s, \`content_block_stop\`, \`message_delta\` (the stop reason and the cumulative output usage), \`message_stop\`, with \`ping\`s between; a failure midway is an \`error\` event. Usage is read from \`message_start\` and the last \`message_delta\`. A client that disconnects is still charged what the upstream reported.\n\n${admission(true)}`,
      security: GATEWAY_SECURITY,
      requestBody: {
        required: true,
        content: json(ref("MessageCreateParamsInput"), messageRequest),
      },
      responses: {
        "200": {
          description: "The message; with `stream: true`, its events",
          headers: RESPONSE_HEADERS,
          content: {
            ...json(ref("Message"), message),
            "text/event-stream": {
              schema: { type: "string", description: "Server-sent events, as Anthropic's API" },
              example: STREAM_EXAMPLE,
            },
          },
        },
        ...ERRORS,
      },
    },
  },
  "/v1/messages/count_tokens": {
    post: {
      operationId: "countMessageTokens",
      tags: [TAG.gateway],
      summary: "Count a message's tokens",
      description: `Anthropic's token counting through the gateway: forwarded to the upstream, free there and not metered (counted in \`/metrics\`).\n\n${admission(false)}`,
      security: GATEWAY_SECURITY,
      requestBody: {
        required: true,
        content: json(ref("MessageCountTokensParamsInput"), {
          model: messageRequest.model,
          messages: messageRequest.messages,
        }),
      },
      responses: {
        "200": {
          description: "The request's input tokens",
          headers: RESPONSE_HEADERS,
          content: json(ref("MessageTokensCount"), { input_tokens: 24 }),
        },
        ...ERRORS,
      },
    },
  },
  "/v1/models": {
    get: {
      operationId: "listModels",
      tags: [TAG.gateway],
      summary: "List models",
      description: `The upstream's models, forwarded with the query string (\`limit\`, \`after_id\`, \`before_id\`) as received; not metered.\n\n${admission(false)}`,
      security: GATEWAY_SECURITY,
      parameters: [
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000 } },
        { name: "after_id", in: "query", schema: { type: "string" } },
        { name: "before_id", in: "query", schema: { type: "string" } },
      ],
      responses: {
        "200": {
          description: "A page of models",
          headers: RESPONSE_HEADERS,
          content: json(ref("ModelInfoPage"), {
            data: models,
            has_more: false,
            first_id: models[0]?.id,
            last_id: models[1]?.id,
          }),
        },
        ...ERRORS,
      },
    },
  },
  "/v1/models/{model_id}": {
    get: {
      operationId: "getModel",
      tags: [TAG.gateway],
      summary: "Get a model",
      description: `One model of the upstream, by id or alias; not metered. The id must be a plain id (letters, digits and \`. _ : @ -\`, at most 100 characters, nothing percent-encoded), or the answer is a 400 before the key is checked.\n\n${admission(false)}`,
      security: GATEWAY_SECURITY,
      parameters: [
        {
          name: "model_id",
          in: "path",
          required: true,
          schema: { type: "string", pattern: "^[A-Za-z0-9][\\w.:@-]{0,99}$" },
        },
      ],
      responses: {
        "200": {
          description: "The model",
          headers: RESPONSE_HEADERS,
          content: json(ref("ModelInfo"), models[0]),
        },
        ...ERRORS,
      },
    },
  },
};
