import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Config, loadConfig, SECRET_VARIABLES } from "../src/config.js";
import { spoolDirOf } from "../src/gateway/usage-spool.js";
import { instructionsOf, parseDockerfile, stageEnv } from "./support/dockerfile.js";

/**
 * The deployment files (Dockerfile, compose.yaml, deploy/kubernetes) checked without a container
 * engine or a cluster: against their published schemas (deploy/schemas, vendored), and for what
 * no schema knows: the variables they set are Steward's, the probes point at /healthz and
 * /readyz, nothing runs as root, and the image runs the install step CI runs.
 */
const root = new URL("../", import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), "utf8");
const K8S_SCHEMAS = "deploy/schemas/kubernetes-v1.32.2-standalone-strict";
const KIND_SCHEMAS: Record<string, string> = {
  Deployment: "deployment-apps-v1.json",
  Service: "service-v1.json",
  ConfigMap: "configmap-v1.json",
  Secret: "secret-v1.json",
  PodDisruptionBudget: "poddisruptionbudget-policy-v1.json",
};
const MANIFESTS = [
  "configmap.yaml",
  "deployment.yaml",
  "service.yaml",
  "poddisruptionbudget.yaml",
  "secret.example.yaml",
];

const work = mkdtempSync(join(tmpdir(), "steward-deploy-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// compose-spec.json names draft-07 by a URL ajv does not know. (Kubernetes' schemas name
// http://json-schema.org/schema#, which ajv already takes as its default draft, draft-07.)
const draft07 = createRequire(import.meta.url)("ajv/dist/refs/json-schema-draft-07.json");
// strictTypes off: compose-spec.json leaves `type` out beside object keywords; that is its style,
// not a mistake of ours.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
// A CommonJS module: under Node's ESM rules its default import is `module.exports`.
addFormats.default(ajv);
ajv.addMetaSchema({ ...draft07, $id: "https://json-schema.org/draft-07/schema" });
// Kubernetes' annotations on its schemas: information for tools, no constraint.
ajv.addVocabulary([
  "x-kubernetes-group-version-kind",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-list-type",
  "x-kubernetes-map-type",
  "x-kubernetes-patch-merge-key",
  "x-kubernetes-patch-strategy",
  "x-kubernetes-unions",
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
]);
const validators = new Map<string, ValidateFunction>();
function validatorFor(schemaPath: string): ValidateFunction {
  let validate = validators.get(schemaPath);
  if (validate === undefined) {
    validate = ajv.compile(JSON.parse(read(schemaPath)));
    validators.set(schemaPath, validate);
  }
  return validate;
}
function schemaErrors(schemaPath: string, document: unknown): string[] {
  const validate = validatorFor(schemaPath);
  return validate(document)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Compose's `${NAME:-default}`, with no NAME set: what `docker compose up` sees by default. */
function interpolate<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, (_, fallback: string) => fallback),
  );
}
const composeText = read("compose.yaml");
const compose = interpolate(parse(composeText, { merge: true }));

// kubectl reads YAML 1.1 (`defaultMode: 0440` is octal there).
const manifests = Object.fromEntries(
  MANIFESTS.map((file) => [file, parse(read(`deploy/kubernetes/${file}`), { version: "1.1" })]),
) as Record<string, any>;
const deployment = manifests["deployment.yaml"];
const podSpec = deployment.spec.template.spec;
const server = podSpec.containers.find((c: any) => c.name === "steward");

const dockerfile = parseDockerfile(read("Dockerfile"));
const image = dockerfile.stages.at(-1)!;
const imageEnv = stageEnv(dockerfile, image);
const workdir = instructionsOf(dockerfile, image, "WORKDIR").at(-1)!.args;
const packageVersion = JSON.parse(read("package.json")).version as string;

/** Variables in `env` that src/config.ts does not parse (zod drops unknown keys). */
function unknownVariables(env: Record<string, string>): string[] {
  const config = loadConfig(env) as Record<string, unknown>;
  const secrets: readonly string[] = SECRET_VARIABLES;
  return Object.keys(env).filter((name) => {
    if (name in config) {
      return false;
    }
    const secret = name.endsWith("_FILE") ? name.slice(0, -"_FILE".length) : undefined;
    return !(secret !== undefined && secrets.includes(secret) && secret in config);
  });
}

/**
 * The directories Steward writes in, run from the image's working directory: the SQLite file's,
 * the usage spool, and the first admin key's (the spool's parent).
 */
function writtenDirectories(config: Config): string[] {
  const spool = resolve(workdir, spoolDirOf(config));
  const sqlite = config.DATABASE_URL.startsWith("sqlite:")
    ? [dirname(resolve(workdir, config.DATABASE_URL.slice("sqlite:".length)))]
    : [];
  return [...sqlite, spool, dirname(spool)];
}

/** Whether `path` is `mount` or inside it. */
const within = (path: string, mount: string) => path === mount || path.startsWith(`${mount}/`);

/** `env` with each `/run/secrets/...` path replaced by the test's copy of that secret. */
function withSecretFiles(
  env: Record<string, string>,
  secretFile: (containerPath: string) => string | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => {
      if (!value.startsWith("/run/secrets/")) {
        return [name, value];
      }
      const file = secretFile(value);
      if (file === undefined) {
        throw new Error(`${name}=${value}: no secret is mounted there`);
      }
      return [name, file];
    }),
  );
}

describe("vendored schemas", () => {
  it("should be the published files, byte for byte (SHA256SUMS)", () => {
    const sums = read("deploy/schemas/SHA256SUMS").trim().split("\n");
    expect(sums.length).toBe(1 + Object.keys(KIND_SCHEMAS).length);
    for (const line of sums) {
      const [sum, file] = line.split(/\s+/);
      const actual = createHash("sha256")
        .update(readFileSync(join(root, "deploy/schemas", file!)))
        .digest("hex");
      expect(actual, file).toBe(sum);
    }
  });
});

describe("compose.yaml", () => {
  it("should satisfy the Compose Specification's schema", () => {
    expect(schemaErrors("deploy/schemas/compose-spec.json", compose)).toEqual([]);
  });

  it("should fail the schema when broken (the check can fail)", () => {
    const broken = structuredClone(compose);
    broken.services["steward-1"].depends_on.migrate.condition = "service_finished";
    broken.services.postgres.healthcheck.intervall = "5s";
    const errors = schemaErrors("deploy/schemas/compose-spec.json", broken);
    expect(errors.join("\n")).toMatch(/must be equal to one of the allowed values/);
    expect(errors.join("\n")).toMatch(/must NOT have additional properties/);
  });

  it("should run `steward migrate` once, before the nodes, which wait for its success", () => {
    expect(compose.services.migrate.command).toEqual(["migrate"]);
    expect(compose.services.migrate.depends_on.postgres.condition).toBe("service_healthy");
    for (const node of ["steward-1", "steward-2"]) {
      expect(compose.services[node].depends_on.migrate.condition).toBe(
        "service_completed_successfully",
      );
      expect(compose.services[node].depends_on.redis.condition).toBe("service_healthy");
      expect(compose.services[node].image).toBe(compose.services.migrate.image);
    }
    expect(compose.services.postgres.healthcheck.test).toContain("pg_isready");
    expect(compose.services.redis.healthcheck.test.join(" ")).toContain("redis-cli ping");
  });

  it("should balance both nodes, in rotation only while /readyz answers 200", () => {
    const haproxy = read("deploy/compose/haproxy.cfg");
    expect(compose.services.balancer.volumes[0]).toMatch(/^\.\/deploy\/compose\/haproxy\.cfg:/);
    expect(haproxy).toMatch(/^\s*option httpchk GET \/readyz$/m);
    expect(haproxy).toMatch(/^\s*http-check expect status 200$/m);
    const servers = [...haproxy.matchAll(/^\s*server \S+ (\S+):(\d+)/gm)].map((m) => m[1]);
    expect(servers).toEqual(["steward-1", "steward-2"]);
    expect(haproxy).toContain(`:${imageEnv.PORT}`);
  });

  it("should give the nodes settings Steward knows, which it accepts with init-secrets.sh's secrets", () => {
    // Run the script on a copy, as an operator would before `docker compose up`.
    mkdirSync(join(work, "compose"));
    const script = join(work, "compose", "init-secrets.sh");
    copyFileSync(join(root, "deploy/compose/init-secrets.sh"), script);
    execFileSync("sh", [script], { stdio: "ignore" });
    const secretsDir = join(work, "compose", "secrets");
    for (const [name, secret] of Object.entries<any>(compose.secrets)) {
      expect(secret.file).toBe(`./deploy/compose/secrets/${name}`);
    }

    for (const node of ["steward-1", "steward-2", "migrate"]) {
      const service = compose.services[node];
      const env = { ...imageEnv, ...service.environment };
      delete env.PATH;
      const mounted: string[] = service.secrets;
      const resolved = withSecretFiles(env, (path) => {
        const name = path.slice("/run/secrets/".length);
        return mounted.includes(name) ? join(secretsDir, name) : undefined;
      });
      expect(unknownVariables(resolved), node).toEqual([]);
      const config = loadConfig(resolved);
      if (node !== "migrate") {
        const mounts = service.volumes.map((v: string) => v.split(":")[1]);
        for (const dir of writtenDirectories(config)) {
          expect(
            mounts.some((m: string) => within(dir, m)),
            dir,
          ).toBe(true);
        }
      }
      const password = readFileSync(join(secretsDir, "postgres_password"), "utf8").trim();
      expect(config.DATABASE_URL).toBe(`postgres://steward:${password}@postgres:5432/steward`);
      if (node !== "migrate") {
        const redis = readFileSync(join(secretsDir, "redis_password"), "utf8").trim();
        expect(config.REDIS_URL).toBe(`redis://:${redis}@redis:6379/0`);
        expect(config.STEWARD_BOOTSTRAP_ADMIN_KEY).toMatch(/^sk-ant-admin01-/);
        expect(config.AUDIT_ANCHOR_KEY).toBeDefined();
        expect(config.TRUST_PROXY).toEqual([compose.networks.steward.ipam.config[0].subnet]);
      }
    }
  });

  it("should let a node drain for longer than its shutdown deadline before it is killed", () => {
    for (const node of ["steward-1", "steward-2"]) {
      const service = compose.services[node];
      const deadline = Number(service.environment.SHUTDOWN_TIMEOUT_MS) / 1000 + 10;
      expect(Number.parseInt(service.stop_grace_period, 10)).toBeGreaterThan(deadline);
    }
  });
});

describe("deploy/kubernetes", () => {
  it.each(MANIFESTS)("%s should satisfy Kubernetes 1.32's schema for its kind", (file) => {
    const manifest = manifests[file];
    const schema = KIND_SCHEMAS[manifest.kind];
    expect(schema, `${file}: no schema for kind ${manifest.kind}`).toBeDefined();
    expect(schemaErrors(`${K8S_SCHEMAS}/${schema}`, manifest)).toEqual([]);
  });

  it("should fail the schema when broken (the check can fail)", () => {
    const broken = structuredClone(deployment);
    const container = broken.spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    broken.spec.replicas = "two";
    const errors = schemaErrors(`${K8S_SCHEMAS}/deployment-apps-v1.json`, broken).join("\n");
    expect(errors).toMatch(/must NOT have additional properties/);
    expect(errors).toMatch(/\/spec\/replicas must be integer/);
  });

  it("should apply every manifest but the example Secret, with the package's version", () => {
    const kustomization = parse(read("deploy/kubernetes/kustomization.yaml"));
    expect(kustomization.resources).toEqual(
      MANIFESTS.filter((file) => file !== "secret.example.yaml"),
    );
    expect(kustomization.images).toEqual([
      { name: "steward", newName: "steward", newTag: packageVersion },
    ]);
    for (const container of [...podSpec.initContainers, ...podSpec.containers]) {
      expect(container.image).toBe(`steward:${packageVersion}`);
    }
  });

  it("should run two or more pods, migrating first, kept by a disruption budget", () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(podSpec.initContainers.map((c: any) => c.args)).toEqual([["migrate"]]);
    expect(server.args).toEqual(["serve"]);
    const budget = manifests["poddisruptionbudget.yaml"];
    expect(budget.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(manifests["service.yaml"].spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(
      deployment.spec.selector.matchLabels,
    );
  });

  it("should probe /healthz for life and start, /readyz for readiness, on the served port", () => {
    const port = server.ports.find((p: any) => p.name === "http");
    expect(String(port.containerPort)).toBe(imageEnv.PORT);
    expect(manifests["configmap.yaml"].data.PORT).toBe(imageEnv.PORT);
    expect(server.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(server.startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(server.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    // /readyz answers 503 within READINESS_TIMEOUT_MS: before the probe gives up on it.
    const readiness = Number(manifests["configmap.yaml"].data.READINESS_TIMEOUT_MS);
    expect(server.readinessProbe.timeoutSeconds * 1000).toBeGreaterThan(readiness);
    expect(manifests["service.yaml"].spec.ports[0].targetPort).toBe("http");
  });

  it("should run as the image's user, not root, on a read-only root filesystem", () => {
    const imageUser = Number(instructionsOf(dockerfile, image, "USER").at(-1)!.args.split(":")[0]);
    expect(podSpec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: imageUser,
      fsGroup: imageUser,
    });
    for (const container of [...podSpec.initContainers, ...podSpec.containers]) {
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(container.resources.requests).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
    }
    expect(server.volumeMounts.map((m: any) => m.mountPath)).toContain("/tmp");
    const secretVolume = podSpec.volumes.find((v: any) => v.name === "secrets");
    expect(secretVolume.secret.defaultMode).toBe(0o440);
  });

  it("should set only variables Steward knows, which it accepts with the example Secret", () => {
    const secret = manifests["secret.example.yaml"];
    const mountPath = server.volumeMounts.find((m: any) => m.name === "secrets").mountPath;
    mkdirSync(join(work, "kubernetes"));
    for (const [key, value] of Object.entries<string>(secret.stringData)) {
      writeFileSync(join(work, "kubernetes", key), `${value}\n`);
    }
    const secretFile = (path: string) =>
      path.startsWith(`${mountPath}/`) && path.slice(mountPath.length + 1) in secret.stringData
        ? join(work, "kubernetes", path.slice(mountPath.length + 1))
        : undefined;
    const explicit = (container: any) =>
      Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    const { PATH: _, ...fromImage } = imageEnv;

    const serverEnv = { ...fromImage, ...manifests["configmap.yaml"].data, ...explicit(server) };
    expect(server.envFrom).toEqual([{ configMapRef: { name: "steward" } }]);
    const resolved = withSecretFiles(serverEnv, secretFile);
    expect(unknownVariables(resolved)).toEqual([]);
    const config = loadConfig(resolved);
    expect(config.DATABASE_URL).toBe(secret.stringData["database-url"]);
    expect(config.REDIS_URL).toBe(secret.stringData["redis-url"]);
    // The root filesystem is read-only: what Steward writes must be on a volume.
    expect(server.workingDir).toBeUndefined();
    const mounts = server.volumeMounts.map((m: any) => m.mountPath);
    for (const dir of writtenDirectories(config)) {
      expect(
        mounts.some((m: string) => within(dir, m)),
        dir,
      ).toBe(true);
    }

    const migrate = podSpec.initContainers[0];
    const migrateEnv = withSecretFiles({ ...fromImage, ...explicit(migrate) }, secretFile);
    expect(unknownVariables(migrateEnv)).toEqual([]);
    expect(loadConfig(migrateEnv).DATABASE_URL).toBe(secret.stringData["database-url"]);
  });

  it("should give a pod longer to stop than Steward's shutdown deadline and the preStop pause", () => {
    const shutdown = Number(manifests["configmap.yaml"].data.SHUTDOWN_TIMEOUT_MS) / 1000;
    const pause = server.lifecycle.preStop.sleep.seconds;
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(shutdown + 10 + pause);
  });
});

describe("Dockerfile", () => {
  const build = dockerfile.stages[0]!;

  it("should build on Node 20's slim Debian image, pinned by major", () => {
    expect(dockerfile.globalArgs.NODE_IMAGE).toBe("node:20-bookworm-slim");
    expect(dockerfile.instructions.filter((i) => i.keyword === "FROM").map((i) => i.args)).toEqual([
      `\${NODE_IMAGE} AS ${build}`,
      `${build} AS install`,
      `\${NODE_IMAGE}`,
    ]);
  });

  it("should build with npm ci and pack with npm pack", () => {
    const runs = instructionsOf(dockerfile, build, "RUN").map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm pack\b/.test(r))).toBe(true);
  });

  it("should install with the script CI runs, as a user who is not root", () => {
    const steps = dockerfile.instructions.filter(
      (i) => i.stage === "install" && (i.keyword === "USER" || i.keyword === "RUN"),
    );
    const install = steps.findIndex((i) => i.args.startsWith("deploy/install-package.sh "));
    expect(install).toBeGreaterThan(0);
    const user = steps
      .slice(0, install)
      .filter((i) => i.keyword === "USER")
      .at(-1);
    expect(user?.args).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(steps[install]!.args).toBe(
      "deploy/install-package.sh /tmp/package/steward.tgz /opt/steward",
    );
    // CI: the same script, and the same health check the image runs.
    const ci = read(".ci/package-check");
    expect(ci).toContain("deploy/install-package.sh");
    expect(ci).toContain("deploy/healthcheck.mjs");
    expect(read(".ci/run")).toContain(".ci/package-check");
  });

  it("should run the installed package as a numeric non-root user, steward serve by default", () => {
    const user = instructionsOf(dockerfile, image, "USER").at(-1)!.args;
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    const copies = instructionsOf(dockerfile, image, "COPY").map((i) => i.args);
    expect(copies).toContain("--from=install --chown=root:root /opt/steward /opt/steward");
    expect(imageEnv.PATH).toMatch(/^\/opt\/steward\/node_modules\/\.bin:/);
    const last = (keyword: string) => instructionsOf(dockerfile, image, keyword).at(-1)?.args;
    expect(JSON.parse(last("ENTRYPOINT")!)).toEqual(["steward"]);
    expect(JSON.parse(last("CMD")!)).toEqual(["serve"]);
    expect(last("STOPSIGNAL")).toBe("SIGTERM");
    expect(last("EXPOSE")).toBe(imageEnv.PORT);
    expect(imageEnv.HOST).toBe("0.0.0.0");
  });

  it("should keep the database, the spool and the first admin key on the volume", () => {
    const volume = instructionsOf(dockerfile, image, "VOLUME").at(-1)!.args;
    const { PATH: _, ...steward } = imageEnv;
    expect(unknownVariables(steward)).toEqual([]);
    // DATABASE_URL_FILE and DATABASE_URL refuse each other: the image must leave both unset.
    expect(steward.DATABASE_URL).toBeUndefined();
    const postgres = "postgres://steward:pw@postgres:5432/steward";
    for (const config of [
      loadConfig(steward),
      loadConfig({ ...steward, DATABASE_URL: postgres }),
    ]) {
      for (const dir of writtenDirectories(config)) {
        expect(within(dir, volume), dir).toBe(true);
      }
    }
  });

  it("should check /healthz with node itself, from the file CI runs", () => {
    const healthcheck = instructionsOf(dockerfile, image, "HEALTHCHECK").at(-1)!.args;
    expect(healthcheck).toMatch(/ CMD \["node", "\/opt\/steward\/healthcheck\.mjs"\]$/);
    const copies = instructionsOf(dockerfile, image, "COPY").map((i) => i.args);
    expect(copies).toContain(
      "--chown=root:root deploy/healthcheck.mjs /opt/steward/healthcheck.mjs",
    );
    expect(read("deploy/healthcheck.mjs")).toContain('process.argv[2] ?? "/healthz"');
  });

  it("should send the build what it needs and no local state", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["**/node_modules", "**/dist", "data", ".git", "deploy/compose/secrets"]) {
      expect(ignored).toContain(entry);
    }
    for (const needed of ["src", "bin", "config", "packages", "deploy/install-package.sh"]) {
      expect(ignored).not.toContain(needed);
    }
  });
});

describe("deploy/systemd/steward.service", () => {
  const unit = read("deploy/systemd/steward.service");
  const settings = (key: string) =>
    [...unit.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1]!);

  it("should set only variables Steward knows, with secrets from its credentials", () => {
    const env = Object.fromEntries(
      settings("Environment")
        .flatMap((line) => line.split(" "))
        .map((pair) => pair.split("=", 2) as [string, string]),
    );
    const credentials = new Map(
      settings("LoadCredential").map((line) => line.split(":", 2) as [string, string]),
    );
    mkdirSync(join(work, "systemd"));
    const resolved = Object.fromEntries(
      Object.entries(env).map(([name, value]) => {
        if (!value.startsWith("%d/")) {
          return [name, value];
        }
        const credential = value.slice("%d/".length);
        expect(credentials.has(credential), `${name}: no LoadCredential=${credential}`).toBe(true);
        const file = join(work, "systemd", credential);
        writeFileSync(file, "a-secret\n");
        return [name, file];
      }),
    );
    expect(unknownVariables(resolved)).toEqual([]);
  });

  it("should run the package the install script puts in /opt/steward, from its state directory", () => {
    expect(settings("ExecStart")).toEqual(["/opt/steward/node_modules/.bin/steward serve"]);
    expect(settings("User")).toEqual(["steward"]);
    expect(settings("WorkingDirectory")).toEqual([`/var/lib/${settings("StateDirectory")[0]}`]);
    const deadline = loadConfig({}).SHUTDOWN_TIMEOUT_MS / 1000 + 10;
    expect(Number(settings("TimeoutStopSec")[0])).toBeGreaterThan(deadline);
  });
});
