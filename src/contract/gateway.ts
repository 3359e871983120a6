import { z } from "zod";

/**
 * The Claude API's shapes on the gateway's paths, for the reference only. The gateway validates
 * none of this: it forwards bodies as they are and reads only what admission and metering need
 * (src/gateway/message-request.ts), so these schemas describe the useful part of Anthropic's
 * Messages and Models APIs and leave every object open to fields they do not name.
 */

const ContentBlock = z
  .looseObject({
    type: z
      .string()
      .describe("`text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, …"),
    text: z.string().optional(),
  })
  .describe("A content block; blocks other than text carry the fields of their type");

const MessageParam = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(ContentBlock)]),
});

export const MessageCreateParams = z
  .looseObject({
    model: z.string().min(1).describe("The model, e.g. `claude-sonnet-4-5`"),
    max_tokens: z
      .number()
      .int()
      .min(1)
      .describe("Most output tokens; admission bounds the request's cost with it"),
    messages: z.array(MessageParam).min(1),
    system: z.union([z.string(), z.array(ContentBlock)]).optional(),
    stream: z
      .boolean()
      .optional()
      .describe("Answer as server-sent events (`text/event-stream`) instead of one JSON object"),
    temperature: z.number().min(0).max(1).optional(),
    stop_sequences: z.array(z.string()).optional(),
    tools: z.array(z.looseObject({ name: z.string() })).optional(),
    metadata: z.looseObject({ user_id: z.string().optional() }).optional(),
  })
  .meta({ id: "MessageCreateParams" });

const Usage = z.looseObject({
  input_tokens: z.number().int().min(0),
  output_tokens: z.number().int().min(0),
  cache_creation_input_tokens: z.number().int().min(0).nullable().optional(),
  cache_read_input_tokens: z.number().int().min(0).nullable().optional(),
});

export const Message = z
  .looseObject({
    id: z.string().describe("The upstream's message id (`msg_…`)"),
    type: z.literal("message"),
    role: z.literal("assistant"),
    model: z.string(),
    content: z.array(ContentBlock),
    stop_reason: z
      .enum(["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal"])
      .nullable(),
    stop_sequence: z.string().nullable(),
    usage: Usage.describe("What Steward meters: tokens by kind, priced when recorded"),
  })
  .meta({ id: "Message" });

export const MessageCountTokensParams = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(MessageParam).min(1),
    system: z.union([z.string(), z.array(ContentBlock)]).optional(),
    tools: z.array(z.looseObject({ name: z.string() })).optional(),
  })
  .meta({ id: "MessageCountTokensParams" });

export const MessageTokensCount = z
  .looseObject({ input_tokens: z.number().int().min(0) })
  .meta({ id: "MessageTokensCount" });

export const ModelInfo = z
  .looseObject({
    id: z.string(),
    type: z.literal("model"),
    display_name: z.string(),
    created_at: z.string().meta({ format: "date-time" }),
  })
  .meta({ id: "ModelInfo" });

export const ModelInfoPage = z
  .looseObject({
    data: z.array(ModelInfo),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
  })
  .meta({ id: "ModelInfoPage" });
