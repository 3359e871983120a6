// The image's HEALTHCHECK (slim images have no curl): exits 0 when GET /healthz on this
// container's PORT answers 200 within two seconds, 1 otherwise. CI runs it against the server
// it installed (.ci/package-check). `node healthcheck.mjs /readyz` checks readiness instead.
const path = process.argv[2] ?? "/healthz";
const port = process.env.PORT ?? "8080";
try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(2000),
  });
  process.exitCode = response.status === 200 ? 0 : 1;
} catch {
  process.exitCode = 1;
}
