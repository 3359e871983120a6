import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, SECRET_VARIABLES } from "../src/config.js";

const dir = mkdtempSync(join(tmpdir(), "steward-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function secretFile(content: string): string {
  const path = join(dir, `secret-${++files}`);
  writeFileSync(path, content);
  return path;
}

const ADMIN_KEY = `sk-ant-admin01-${"a".repeat(40)}`;
const SMTP = { SMTP_URL: "smtp://mailer:pa%40ss@mail.example.com:587", SMTP_FROM: "s@example.com" };

describe("configuration", () => {
  it("should default every setting, with no mail", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.SMTP_FROM).toBeUndefined();
    expect(config.STEWARD_PUBLIC_URL).toBeUndefined();
  });

  it("should treat every secret setting alike", () => {
    expect([...SECRET_VARIABLES].sort()).toEqual([
      "AUDIT_ANCHOR_KEY",
      "DATABASE_URL",
      "OIDC_CLIENT_SECRET",
      "REDIS_URL",
      "SMTP_URL",
      "STEWARD_BOOTSTRAP_ADMIN_KEY",
      "UPSTREAM_API_KEY",
    ]);
  });

  describe("SMTP", () => {
    it("should take smtp:// and smtps:// URLs with a sender", () => {
      expect(loadConfig(SMTP)).toMatchObject(SMTP);
      const tls = loadConfig({
        SMTP_URL: "smtps://mail.example.com",
        SMTP_FROM: "Steward <s@x.io>",
      });
      expect(tls.SMTP_URL).toBe("smtps://mail.example.com");
      expect(tls.SMTP_FROM).toBe("Steward <s@x.io>");
    });

    it("should refuse another scheme without repeating the URL (it may hold a password)", () => {
      const attempt = () =>
        loadConfig({ ...SMTP, SMTP_URL: "http://user:hunter2@mail.example.com" });
      expect(attempt).toThrow(/SMTP_URL: expected smtp:\/\/… or smtps:\/\/…/);
      expect(attempt).not.toThrow(/hunter2/);
    });

    it("should require SMTP_FROM with SMTP_URL, and a valid one", () => {
      expect(() => loadConfig({ SMTP_URL: SMTP.SMTP_URL })).toThrow(
        /SMTP_FROM: the sender is required with SMTP_URL/,
      );
      expect(() => loadConfig({ ...SMTP, SMTP_FROM: "not an address" })).toThrow(/SMTP_FROM/);
    });

    it("should take STEWARD_PUBLIC_URL as an http(s) URL", () => {
      expect(loadConfig({ STEWARD_PUBLIC_URL: "https://steward.example.com" })).toMatchObject({
        STEWARD_PUBLIC_URL: "https://steward.example.com",
      });
      expect(() => loadConfig({ STEWARD_PUBLIC_URL: "steward.example.com" })).toThrow(
        /STEWARD_PUBLIC_URL/,
      );
    });
  });

  describe("secrets from files (_FILE)", () => {
    it.each(SECRET_VARIABLES)(
      "should read %s from %s_FILE, without the trailing newline",
      (name) => {
        const value =
          name === "SMTP_URL"
            ? SMTP.SMTP_URL
            : name === "REDIS_URL"
              ? "redis://:hunter2@redis.internal:6379/0"
              : name === "DATABASE_URL"
                ? "postgres://steward:hunter2@postgres.internal:5432/steward"
                : ADMIN_KEY;
        const extra = name === "SMTP_URL" ? { SMTP_FROM: SMTP.SMTP_FROM } : {};
        const config = loadConfig({ [`${name}_FILE`]: secretFile(`${value}\n`), ...extra });
        expect(config[name]).toBe(value);
      },
    );

    it("should read DATABASE_URL from DATABASE_URL_FILE, and default it without either", () => {
      const url = "postgres://steward:pa%40ss@postgres.internal:5432/steward";
      expect(loadConfig({ DATABASE_URL_FILE: secretFile(`${url}\n`) }).DATABASE_URL).toBe(url);
      expect(loadConfig({ DATABASE_URL_FILE: "" }).DATABASE_URL).toBe("sqlite:./data/steward.db");
      expect(() =>
        loadConfig({ DATABASE_URL: url, DATABASE_URL_FILE: secretFile(`${url}\n`) }),
      ).toThrow("set DATABASE_URL or DATABASE_URL_FILE, not both");
    });

    it("should take redis:// and rediss:// URLs only, for REDIS_URL", () => {
      expect(loadConfig({ REDIS_URL: "rediss://redis.internal:6380" }).REDIS_URL).toBe(
        "rediss://redis.internal:6380",
      );
      const attempt = () => loadConfig({ REDIS_URL: "http://user:hunter2@redis.internal" });
      expect(attempt).toThrow(/REDIS_URL/);
      expect(attempt).not.toThrow(/hunter2/);
    });

    it("should prefix Redis keys with steward: unless told, and take only a plain prefix", () => {
      expect(loadConfig({}).REDIS_KEY_PREFIX).toBe("steward:");
      expect(loadConfig({ REDIS_KEY_PREFIX: "acme-prod:" }).REDIS_KEY_PREFIX).toBe("acme-prod:");
      expect(() => loadConfig({ REDIS_KEY_PREFIX: "a b{c}" })).toThrow(/REDIS_KEY_PREFIX/);
    });

    it("should trim a Windows line ending and surrounding blanks too", () => {
      const config = loadConfig({ UPSTREAM_API_KEY_FILE: secretFile(`  sk-upstream\r\n\r\n`) });
      expect(config.UPSTREAM_API_KEY).toBe("sk-upstream");
    });

    it("should refuse a variable set both ways", () => {
      for (const name of SECRET_VARIABLES) {
        expect(() =>
          loadConfig({ ...SMTP, [name]: "x", [`${name}_FILE`]: secretFile("y\n") }),
        ).toThrow(`set ${name} or ${name}_FILE, not both`);
      }
    });

    it("should take an empty variable as unset beside its _FILE", () => {
      const config = loadConfig({ UPSTREAM_API_KEY: "", UPSTREAM_API_KEY_FILE: secretFile("k\n") });
      expect(config.UPSTREAM_API_KEY).toBe("k");
    });

    it("should name the variable and the file when the file is missing", () => {
      const missing = join(dir, "no-such-secret");
      expect(() => loadConfig({ SMTP_URL_FILE: missing, SMTP_FROM: SMTP.SMTP_FROM })).toThrow(
        `SMTP_URL_FILE: cannot read ${missing}: no such file`,
      );
    });

    it("should say so when the file is a directory or unreadable", () => {
      expect(() => loadConfig({ UPSTREAM_API_KEY_FILE: dir })).toThrow(
        `UPSTREAM_API_KEY_FILE: cannot read ${dir}: it is a directory`,
      );
      const locked = secretFile("secret\n");
      chmodSync(locked, 0o000);
      // root reads any file: the check is meaningful only for other users.
      if (process.getuid?.() !== 0) {
        expect(() => loadConfig({ UPSTREAM_API_KEY_FILE: locked })).toThrow(
          `UPSTREAM_API_KEY_FILE: cannot read ${locked}: permission denied`,
        );
      }
    });

    it("should refuse an empty file", () => {
      const empty = secretFile("\n");
      expect(() => loadConfig({ STEWARD_BOOTSTRAP_ADMIN_KEY_FILE: empty })).toThrow(
        `STEWARD_BOOTSTRAP_ADMIN_KEY_FILE: ${empty} is empty`,
      );
    });

    it("should validate a secret read from a file like one set directly", () => {
      expect(() =>
        loadConfig({ SMTP_URL_FILE: secretFile("ftp://mail.example.com\n"), SMTP_FROM: "a@b.c" }),
      ).toThrow(/SMTP_URL: expected smtp/);
    });
  });
});
