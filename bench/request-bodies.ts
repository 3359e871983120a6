/**
 * What reading a request body costs the gateway's event loop: `readMessageRequest` (the model,
 * limits and input bound that admission needs) and `usageFromMessage` (an answer's usage), on
 * bodies of the sizes Claude's users send, against the same read with each body parsed whole
 * (JSON.parse of all of it, as the gateway did before src/gateway/json-bytes.ts), measured in the
 * same run and printed as a ratio.
 *
 *   npx tsx bench/request-bodies.ts [--ms=1000]
 */
import { randomBytes } from "node:crypto";
import { parseJsonBytes } from "../src/gateway/json-bytes.js";
import { readMessageRequest } from "../src/gateway/message-request.js";
import { usageFromMessage } from "../src/gateway/usage.js";

const MS = Number(process.argv.find((arg) => arg.startsWith("--ms="))?.slice(5) ?? 1000);

const sentence = 'The "quick" brown fox jumps over the lazy dog; it was not lazy at all.\n ';
const request = (messages: unknown[], extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 4096, messages, ...extra }));
const turns = (count: number, words: number) =>
  Array.from({ length: count }, (_, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content: [{ type: "text", text: sentence.repeat(words) }],
  }));
const image = (bytes: number) => ({
  role: "user",
  content: [
    {
      type: "image",
      source: {
        type: "base64",
        media_type: "image/png",
        data: randomBytes(Math.ceil((bytes * 3) / 4)).toString("base64"),
      },
    },
    { type: "text", text: "What is in this image?" },
  ],
});
// Many short strings: a body that is mostly structure (tool schemas), the skeleton's worst case.
const tools = Array.from({ length: 400 }, (_, i) => ({
  name: `tool_${i}`,
  description: "Reads a file.",
  input_schema: {
    type: "object",
    properties: { path: { type: "string" }, offset: { type: "integer" }, mode: { enum: ["r"] } },
    required: ["path"],
  },
}));
const answer = (text: string) =>
  Buffer.from(
    JSON.stringify({
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 1200, output_tokens: 900, service_tier: "standard" },
    }),
  );

const cases: Array<{ name: string; body: Buffer; read: (body: Buffer) => unknown }> = [
  { name: "request, one short turn", body: request(turns(1, 2)), read: readMessageRequest },
  { name: "request, 40 turns", body: request(turns(40, 20)), read: readMessageRequest },
  {
    name: "request, 400 tool schemas",
    body: request(turns(1, 2), { tools }),
    read: readMessageRequest,
  },
  { name: "request, long conversation", body: request(turns(150, 40)), read: readMessageRequest },
  {
    name: "request, one 2.2 MB image",
    body: request([image(2_200_000)]),
    read: readMessageRequest,
  },
  {
    name: "request, four 1 MB images",
    body: request([1, 2, 3, 4].map(() => image(1_000_000))),
    read: readMessageRequest,
  },
  { name: "answer, short", body: answer(sentence.repeat(3)), read: usageFromMessage },
  { name: "answer, 64k tokens", body: answer(sentence.repeat(3500)), read: usageFromMessage },
];

/** Microseconds per call, over MS milliseconds after a warm-up. */
function timed(call: () => unknown): number {
  for (let i = 0; i < 20; i++) {
    call();
  }
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < MS) {
    call();
    calls++;
  }
  return ((performance.now() - started) * 1000) / calls;
}

console.log(
  `request bodies: event-loop time per body, in µs; Node ${process.version}, ${MS} ms per figure\n`,
);
console.log("| body | size | parsed whole | parsed now | whole / now | the gateway's read |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const { name, body, read } of cases) {
  // The parse alone, whole (the skeleton switched off by its size threshold) and as the gateway
  // parses it now; then all of the gateway's read (the parse, and the fields taken from it).
  const whole = timed(() => parseJsonBytes(body, () => [], { skeletonFromBytes: Infinity }));
  const skeleton = timed(() => parseJsonBytes(body, () => []));
  const gateway = timed(() => read(body));
  const size =
    body.length >= 1e6
      ? `${(body.length / 1e6).toFixed(1)} MB`
      : `${(body.length / 1024).toFixed(0)} KB`;
  console.log(
    `| ${name} | ${size} | ${whole.toFixed(1)} | ${skeleton.toFixed(1)} | ${(whole / skeleton).toFixed(1)} | ${gateway.toFixed(1)} |`,
  );
}
