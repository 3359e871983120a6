import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { SmtpMailer } from "../src/core/mail/mailer.js";
import type { MailFailureHandler, Services } from "../src/core/services.js";
import { type Runtime, startRuntime } from "../src/runtime.js";
import { createTestDatabase, describeEachBackend, type TestDatabase } from "./harness.js";

interface Received {
  from: string;
  to: string[];
  headers: Record<string, string>;
  text: string;
}

interface TestSmtp {
  port: number;
  url: string;
  inbox: Received[];
  /** Credentials the server accepted, one per authenticated session. */
  logins: { username: string; password: string }[];
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** Headers (unfolded, lower-cased names) and the decoded text body of a plain-text message. */
function parseMessage(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const headers: Record<string, string> = {};
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, " ")
    .split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = headers["content-transfer-encoding"]?.toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(body)
      : encoding === "base64"
        ? Buffer.from(body, "base64").toString("utf8")
        : body;
  return { headers, text: text.replace(/\r\n/g, "\n") };
}

/** A local SMTP server that keeps what it receives; with `auth`, it requires a login. */
async function startSmtp(auth?: { username: string; password: string }): Promise<TestSmtp> {
  const inbox: Received[] = [];
  const logins: { username: string; password: string }[] = [];
  const server = new SMTPServer({
    logger: false,
    // Plain connections only: the built-in test certificate would not be trusted anyway.
    disabledCommands: auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    onAuth(login, _session, callback) {
      if (auth && login.username === auth.username && login.password === auth.password) {
        logins.push({ username: auth.username, password: auth.password });
        callback(null, { user: auth.username });
      } else {
        callback(new Error("invalid credentials"));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const mailFrom = session.envelope.mailFrom;
        inbox.push({
          from: mailFrom === false ? "" : mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parseMessage(Buffer.concat(chunks).toString("utf8")),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on: a server's, once it is closed. */
async function deadPort(): Promise<number> {
  const smtp = await startSmtp();
  await smtp.close();
  return smtp.port;
}

const TOKEN = /stw-invite01-[A-Za-z0-9_-]+/;

describeEachBackend("invitations by email", (backend) => {
  let smtp: TestSmtp;
  let testDb: TestDatabase;
  let mailer: SmtpMailer;
  let services: Services;
  let app: FastifyInstance;
  let runtime: Runtime;
  let adminKey: string;
  const failures: Parameters<MailFailureHandler>[] = [];

  const post = async (url: string, body: unknown, key: string | null = adminKey) => {
    const response = await app.inject({
      method: "POST",
      url,
      headers: {
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
        ...(key !== null && { "x-api-key": key }),
      },
      payload: JSON.stringify(body),
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    testDb = await createTestDatabase(backend);
    mailer = new SmtpMailer({ url: smtp.url, from: "Steward <steward@example.com>" });
    runtime = await startRuntime({
      database: testDb.database,
      services: {
        mailer,
        publicUrl: "https://steward.example.com/",
        onMailFailure: (...args) => failures.push(args),
      },
    });
    ({ services, app } = runtime);
    const created = await services.organizations.create(
      { name: "Acme Corporation", ownerEmail: "owner@example.com", ownerName: "Olivia" },
      { type: "system", id: null },
    );
    adminKey = created.adminKey;
  });
  afterAll(async () => {
    await runtime?.close();
    await mailer?.close();
    await smtp?.close();
    await testDb?.drop();
  });

  it("should expose the mailer to other services", () => {
    expect(services.mailer).toBe(mailer);
  });

  it("should email the invitee the one-time token and how to accept it (seed surface)", async () => {
    const invite = await post("/v1/users/invite", {
      email: "alice@example.com",
      role: "developer",
    });
    expect(invite.status).toBe(200);
    const mail = await vi.waitFor(() => {
      const found = smtp.inbox.find((m) => m.to.includes("alice@example.com"));
      if (!found) {
        throw new Error("no email yet");
      }
      return found;
    });
    expect(mail.from).toBe("steward@example.com");
    expect(mail.to).toEqual(["alice@example.com"]);
    expect(mail.headers.from).toBe("Steward <steward@example.com>");
    expect(mail.headers.subject).toBe("Your invitation to Acme Corporation on Steward");
    expect(mail.text).toContain("with the role developer");
    expect(mail.text).toContain(`  ${invite.body.token}\n`);
    expect(mail.text).toContain("curl -X POST https://steward.example.com/v1/invites/accept");
    expect(mail.text).toContain(`-d '{"token":"${invite.body.token}","name":"Your Name"}'`);
    expect(mail.text).toContain(invite.body.expires_at);
    expect(mail.text).not.toContain("STEWARD-ADDRESS");

    // The emailed token is the credential: accepting with it makes the member.
    const emailed = mail.text.match(TOKEN)?.[0];
    expect(emailed).toBe(invite.body.token);
    const joined = await post("/v1/invites/accept", { token: emailed, name: "Alice" }, null);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ email: "alice@example.com", role: "developer" });
    expect(failures).toEqual([]);
  });

  it("should email invites made on Anthropic's surface too", async () => {
    const invite = await post("/v1/organizations/invites", {
      email: "bob@example.com",
      role: "user",
    });
    expect(invite.status).toBe(200);
    const mail = await vi.waitFor(() => {
      const found = smtp.inbox.find((m) => m.to.includes("bob@example.com"));
      if (!found) {
        throw new Error("no email yet");
      }
      return found;
    });
    expect(mail.text.match(TOKEN)?.[0]).toBe(invite.body.token);
  });

  it("should send nothing for an invite that was refused", async () => {
    const before = smtp.inbox.length;
    const again = await post("/v1/organizations/invites", {
      email: "bob@example.com",
      role: "user",
    });
    expect(again.status).toBe(400);
    // Mails go out in the order of their invites: once a later invite's mail is in, a mail for
    // the refused one would be too.
    const later = await post("/v1/organizations/invites", {
      email: "carol@example.com",
      role: "user",
    });
    expect(later.status).toBe(200);
    await vi.waitFor(() => {
      if (!smtp.inbox.some((m) => m.to.includes("carol@example.com"))) {
        throw new Error("no email yet");
      }
    });
    expect(smtp.inbox.length).toBe(before + 1);
  });

  describe("when the mail server is down", () => {
    let downServices: Services;
    let downApp: FastifyInstance;
    let downRuntime: Runtime;
    let downMailer: SmtpMailer;
    let downKey: string;
    const downFailures: Parameters<MailFailureHandler>[] = [];

    beforeAll(async () => {
      downMailer = new SmtpMailer({
        url: `smtp://127.0.0.1:${await deadPort()}`,
        from: "steward@example.com",
      });
      downRuntime = await startRuntime({
        database: testDb.database,
        services: { mailer: downMailer, onMailFailure: (...args) => downFailures.push(args) },
      });
      ({ services: downServices, app: downApp } = downRuntime);
      const created = await downServices.organizations.create(
        { name: "Globex", ownerEmail: "boss@globex.example", ownerName: "Hank" },
        { type: "system", id: null },
      );
      downKey = created.adminKey;
    });
    afterAll(async () => {
      await downRuntime?.close();
      await downMailer?.close();
    });

    it("should still create the invite, answer its token, and report the failure", async () => {
      const response = await downApp.inject({
        method: "POST",
        url: "/v1/users/invite",
        headers: { "x-api-key": downKey, "content-type": "application/json" },
        payload: JSON.stringify({ email: "carol@globex.example", role: "developer" }),
      });
      expect(response.statusCode).toBe(200);
      const invite = response.json();
      expect(invite.token).toMatch(TOKEN);

      await vi.waitFor(() => expect(downFailures).toHaveLength(1));
      const [error, about] = downFailures[0] ?? [];
      expect(error).toBeInstanceOf(Error);
      expect(about).toEqual({
        kind: "invitation",
        id: invite.id,
        organizationId: expect.stringMatching(/^org_01/),
      });

      // Committed: listed as pending, audited, and the token from the response works.
      const stored = await downServices.deps.store.read.invites.find(
        about?.organizationId ?? "",
        invite.id,
      );
      expect(stored?.deleted_at).toBeNull();
      const records = await downServices.deps.store.read.audit.list(about?.organizationId ?? "");
      expect(records.at(-1)).toMatchObject({ action: "invite.created", target_id: invite.id });
      const joined = await downApp.inject({
        method: "POST",
        url: "/v1/invites/accept",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ token: invite.token }),
      });
      expect(joined.statusCode).toBe(200);
    });
  });
});

describe("SMTP mailer", () => {
  const dir = mkdtempSync(join(tmpdir(), "steward-smtp-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should log in with the credentials of SMTP_URL read from SMTP_URL_FILE", async () => {
    const smtp = await startSmtp({ username: "steward", password: "p@ss:word" });
    const file = join(dir, "smtp-url");
    writeFileSync(file, `smtp://steward:p%40ss%3Aword@127.0.0.1:${smtp.port}\n`);
    const config = loadConfig({ SMTP_URL_FILE: file, SMTP_FROM: "steward@example.com" });
    const mailer = new SmtpMailer({ url: config.SMTP_URL ?? "", from: config.SMTP_FROM ?? "" });
    try {
      await mailer.send({ to: ["dave@example.com"], subject: "hello", text: "from a file\n" });
      expect(smtp.logins).toEqual([{ username: "steward", password: "p@ss:word" }]);
      expect(smtp.inbox).toHaveLength(1);
      expect(smtp.inbox[0]).toMatchObject({
        from: "steward@example.com",
        to: ["dave@example.com"],
        text: "from a file\n",
      });
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it("should reject a send the server refuses (wrong password)", async () => {
    const smtp = await startSmtp({ username: "steward", password: "right" });
    const mailer = new SmtpMailer({
      url: `smtp://steward:wrong@127.0.0.1:${smtp.port}`,
      from: "steward@example.com",
    });
    try {
      await expect(
        mailer.send({ to: ["dave@example.com"], subject: "hello", text: "x" }),
      ).rejects.toThrow(/invalid credentials|auth/i);
      expect(smtp.inbox).toEqual([]);
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it("should refuse a message without recipients", async () => {
    const mailer = new SmtpMailer({ url: "smtp://127.0.0.1:1", from: "steward@example.com" });
    await expect(mailer.send({ to: [], subject: "s", text: "t" })).rejects.toThrow(/recipient/);
    await mailer.close();
  });

  it("should give up on a dead server with an error, not hang", async () => {
    const mailer = new SmtpMailer({
      url: `smtp://127.0.0.1:${await deadPort()}`,
      from: "steward@example.com",
    });
    await expect(mailer.send({ to: ["x@example.com"], subject: "s", text: "t" })).rejects.toThrow();
    await mailer.close();
  });
});
