/**
 * Serves the web console (packages/console, built by `npm run build` into dist/console) at
 * /console/, same origin as the Admin API it calls. A single-page app: a path without a file
 * extension is a client route and gets index.html; hashed assets are cached for a year.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";

/**
 * dist/console at the package's root: from src/http (tsx, tests) and from dist/http (built)
 * alike, two levels up is the root.
 */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL("../../dist/console", import.meta.url));

/** The page may load only what Steward serves itself, and may not be framed. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
};

/** Vite puts content-hashed files under assets/: their name changes whenever they do. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Steward console not built</title></head>
<body><h1>The console is not built</h1>
<p>This Steward has no dist/console. Run <code>npm run build</code> in Steward's directory, then restart it.
The Admin API and the gateway work without it.</p></body></html>
`;

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("content-security-policy", CONTENT_SECURITY_POLICY)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "same-origin")
    .header("x-frame-options", "DENY");
}

/** The file under `root` that `relative` names, or undefined when it would leave `root`. */
function inside(root: string, relative: string): string | undefined {
  const path = resolve(root, relative);
  return path.startsWith(root + sep) ? path : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export interface ConsoleOptions {
  /** The console's build output; dist/console by default. */
  dir?: string | undefined;
}

export function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): void {
  const root = resolve(options.dir ?? DEFAULT_CONSOLE_DIR);
  const indexPath = join(root, "index.html");

  const sendIndex = async (reply: FastifyReply) => {
    securityHeaders(reply).header("cache-control", "no-cache");
    let html: string;
    try {
      // Read on each request (it is small): a rebuild is served without a restart.
      html = await readFile(indexPath, "utf8");
    } catch {
      return reply.code(503).type("text/html; charset=utf-8").send(NOT_BUILT);
    }
    return reply.type("text/html; charset=utf-8").send(html);
  };

  app.get("/", { schema: { hide: true } }, async (_request, reply) =>
    securityHeaders(reply).redirect("/console/", 302),
  );
  app.get("/console", { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.get<{ Params: { "*": string } }>(
    "/console/*",
    { schema: { hide: true } },
    async (request, reply) => {
      const relative = request.params["*"];
      const extension = extname(relative);
      if (extension === "") {
        return sendIndex(reply);
      }
      securityHeaders(reply);
      const path = inside(root, relative);
      if (path === undefined || !(await isFile(path))) {
        return reply
          .code(404)
          .header("cache-control", "no-cache")
          .type("text/plain; charset=utf-8")
          .send(`Not found: /console/${relative}`);
      }
      const immutable = relative.startsWith("assets/");
      return reply
        .header("cache-control", immutable ? IMMUTABLE : "no-cache")
        .type(CONTENT_TYPES[extension] ?? "application/octet-stream")
        .send(createReadStream(path));
    },
  );
}
