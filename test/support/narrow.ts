import type { components } from "../../packages/sdk/src/generated/api.js";

/** `value`, after checking it is there: for a contract field that is optional or nullable. */
export function present<T>(value: T | null | undefined, what = "value"): T {
  if (value === null || value === undefined) {
    throw new Error(`expected ${what}, got ${value}`);
  }
  return value;
}

type AlertChannel = components["schemas"]["AlertChannel"];

/** A rule's channel at `index`, after checking it is there and of `type`. */
export function channelAt<T extends AlertChannel["type"]>(
  rule: { channels: AlertChannel[] },
  index: number,
  type: T,
): Extract<AlertChannel, { type: T }> {
  const channel = rule.channels[index];
  if (channel?.type !== type) {
    throw new Error(`expected a ${type} channel at ${index}, got ${JSON.stringify(channel)}`);
  }
  return channel as Extract<AlertChannel, { type: T }>;
}
