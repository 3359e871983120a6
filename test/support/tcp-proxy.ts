/**
 * A TCP proxy between Steward and its database, for fault tests: it forwards every connection
 * to the target until told to `cut()` (every connection reset, new ones reset as they come: a
 * database that went away) or to `stall()` (connections stay open and everything sent is dropped,
 * in both directions: a network that black-holes packets). `restore()` forwards again; a
 * connection that was stalled has lost bytes mid-protocol, so it is reset then, as a TCP timeout
 * would end it.
 */
import { createServer, type Server, type Socket } from "node:net";

type Mode = "forward" | "cut" | "stall";

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Bytes were dropped on it: it cannot be forwarded again. */
  stalled: boolean;
}

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  cut(): void;
  stall(): void;
  restore(): void;
  /** Connections accepted so far (a test can tell that a client connected again). */
  readonly accepted: number;
  /** Bytes from Steward dropped while stalled (a test can tell that a statement was sent). */
  readonly dropped: number;
  /** Connections open now. */
  readonly open: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: Mode = "forward";
  let accepted = 0;
  let dropped = 0;
  const pairs = new Set<Pair>();

  const end = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream?.resetAndDestroy();
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    client.on("error", () => {});
    if (mode === "cut") {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: undefined, stalled: mode === "stall" };
    pairs.add(pair);
    client.on("close", () => end(pair));
    if (pair.stalled) {
      // Accepted, and never answered.
      client.on("data", (chunk) => {
        dropped += chunk.length;
      });
      return;
    }
    const upstream = new (client.constructor as typeof Socket)();
    pair.upstream = upstream;
    upstream.on("error", () => {});
    upstream.on("close", () => end(pair));
    upstream.connect(targetPort, targetHost);
    // Written as it comes (the socket buffers until connected), dropped once stalled.
    client.on("data", (chunk) => {
      if (pair.stalled) {
        dropped += chunk.length;
      } else {
        upstream.write(chunk);
      }
    });
    upstream.on("data", (chunk) => {
      if (!pair.stalled) {
        client.write(chunk);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    port,
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    cut() {
      mode = "cut";
      for (const pair of [...pairs]) {
        end(pair);
      }
    },
    stall() {
      mode = "stall";
      for (const pair of pairs) {
        pair.stalled = true;
      }
    },
    restore() {
      mode = "forward";
      for (const pair of [...pairs]) {
        if (pair.stalled) {
          end(pair);
        }
      }
    },
    get accepted() {
      return accepted;
    },
    get dropped() {
      return dropped;
    },
    get open() {
      return pairs.size;
    },
    async close() {
      for (const pair of [...pairs]) {
        end(pair);
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
