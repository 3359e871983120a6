import Anthropic from "@anthropic-ai/sdk";
import type { TestServer } from "../harness.js";

/**
 * Anthropic's own SDK, pointed at an in-process test server with its admin key: the server
 * starts listening on a free loopback port (the SDK speaks HTTP, not `app.inject()`).
 */
export async function officialSdkFor(server: TestServer): Promise<Anthropic> {
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const address = server.app.server.address();
  if (address === null || typeof address === "string") {
    throw new Error("the server is not listening on a TCP port");
  }
  return new Anthropic({
    baseURL: `http://127.0.0.1:${address.port}`,
    apiKey: server.org.adminKey,
    maxRetries: 0,
  });
}

/** Every item of an SDK list, across its pages. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
  }
  return items;
}
