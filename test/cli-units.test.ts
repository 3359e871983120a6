import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../src/cli/errors.js";
import { addSchemaFlags, bodyOf } from "../src/cli/flags.js";
import { CsvError, parseCsv } from "../src/cli/onboard/csv.js";
import { Journal } from "../src/cli/onboard/journal.js";
import { KeysFile } from "../src/cli/onboard/keys-file.js";
import { bar, table } from "../src/cli/output.js";
import { WorkspaceCreateParams, WorkspaceUpdateParams } from "../src/contract/workspaces.js";

const dir = mkdtempSync(join(tmpdir(), "steward-cli-units-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(
  schema: typeof WorkspaceCreateParams | typeof WorkspaceUpdateParams,
  args: string[],
) {
  const command = new Command("x").exitOverride().configureOutput({ writeErr: () => {} });
  const flags = addSchemaFlags(command, schema, { nullClears: true });
  command.action(() => {});
  command.parse(["node", "x", ...args]);
  return { flags, command, body: () => bodyOf(flags, command.opts()) };
}

describe("flags derived from the contract", () => {
  it("should register dotted, typed flags with choices and required ones", () => {
    const { command } = parse(WorkspaceCreateParams, ["--name", "x"]);
    const options = Object.fromEntries(command.options.map((o) => [o.long, o]));
    expect(Object.keys(options)).toEqual([
      "--name",
      "--display-color",
      "--data-residency.workspace-geo",
      "--data-residency.allowed-inference-geos",
      "--data-residency.default-inference-geo",
      "--tags",
      "--usage-limits.monthly-spend-usd",
      "--usage-limits.requests-per-minute",
    ]);
    expect(options["--name"]?.mandatory).toBe(true);
    expect(options["--display-color"]?.mandatory).toBe(false);
    expect(options["--data-residency.default-inference-geo"]?.flags).toBe(
      "--data-residency.default-inference-geo <global|us>",
    );
    expect(() => parse(WorkspaceCreateParams, [])).toThrow(/--name/);
  });

  it("should coerce values into the request body, nested, with lists, tags and null", () => {
    const { body } = parse(WorkspaceUpdateParams, [
      "--usage-limits.monthly-spend-usd",
      "12.5",
      "--usage-limits.requests-per-minute",
      "null",
      "--tags",
      "team=ml",
      "--tags",
      "old=null",
      "--data-residency.allowed-inference-geos",
      "us,global",
    ]);
    expect(body()).toEqual({
      usage_limits: { monthly_spend_usd: 12.5, requests_per_minute: null },
      tags: { team: "ml", old: null },
      data_residency: { allowed_inference_geos: ["us", "global"] },
    });
    expect(
      parse(WorkspaceUpdateParams, [
        "--data-residency.allowed-inference-geos",
        "unrestricted",
      ]).body(),
    ).toEqual({ data_residency: { allowed_inference_geos: "unrestricted" } });
  });

  it("should refuse values the contract refuses, naming the flag", () => {
    expect(() =>
      parse(WorkspaceCreateParams, ["--name", "x", "--usage-limits.monthly-spend-usd", "lots"]),
    ).toThrow(/--usage-limits.monthly-spend-usd expects a number/);
    const { body } = parse(WorkspaceCreateParams, [
      "--name",
      "x",
      "--usage-limits.requests-per-minute",
      "1.5",
    ]);
    expect(body).toThrow(UsageError);
    expect(body).toThrow(/^--usage-limits\.requests-per-minute: /);
  });
});

describe("CSV", () => {
  it("should read RFC 4180: quotes, doubled quotes, line breaks in fields, CRLF, a BOM", () => {
    const text =
      '\uFEFFemail,name\r\na@x.com,"Smith, ""Al"""\r\n\r\nb@x.com,"two\nlines"\nc@x.com,';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["email", "name"] },
      { line: 2, fields: ["a@x.com", 'Smith, "Al"'] },
      { line: 4, fields: ["b@x.com", "two\nlines"] },
      { line: 6, fields: ["c@x.com", ""] },
    ]);
  });

  it("should refuse an unclosed quote and stray quotes, with the line", () => {
    expect(() => parseCsv('a,b\n"open,x\n')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n"open,x\n')).toThrow(/line 2: a quoted field is not closed/);
    expect(() => parseCsv('a,b\nx"y,z\n')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a,b\n"x"y,z\n')).toThrow(/line 2: text after a closing quote/);
  });
});

describe("journal and keys file", () => {
  it("should fold attempts and results, and ignore a torn last line", () => {
    const path = join(dir, "journal.jsonl");
    const journal = Journal.open(path);
    journal.append({ type: "run", at: "t", base_url: "u", organization_id: "org" });
    journal.append({
      type: "attempt",
      at: "t",
      id: "a@x",
      line: 2,
      idempotency_key: "k1",
      body: {},
    });
    journal.append({
      type: "result",
      at: "t",
      id: "a@x",
      idempotency_key: "k1",
      outcome: "onboarded",
    });
    journal.append({
      type: "attempt",
      at: "t",
      id: "b@x",
      line: 3,
      idempotency_key: "k2",
      body: {},
    });
    journal.close();
    appendFileSync(path, '{"type":"result","id":"b@x","idempotency_key":"k2","outc');

    const again = Journal.open(path);
    expect(again.run?.organization_id).toBe("org");
    expect(again.states.get("a@x")?.result?.outcome).toBe("onboarded");
    expect(again.states.get("b@x")).toMatchObject({ attempt: { idempotency_key: "k2" } });
    expect(again.states.get("b@x")?.result).toBeUndefined();
    again.append({ type: "result", at: "t", id: "b@x", idempotency_key: "k2", outcome: "exists" });
    again.close();
    expect(Journal.open(path).states.get("b@x")?.result?.outcome).toBe("exists");
    // The torn line stays, but the next entry starts on a line of its own.
    expect(
      readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l !== ""),
    ).toHaveLength(6);
  });

  it("should create the keys file 0600, write each invite once, and refuse one others can read", () => {
    const path = join(dir, "keys.jsonl");
    const record = {
      email: "a@x",
      invite_id: "invite_1",
      invite_token: "t",
      api_key_id: null,
      api_key_name: null,
      workspace_id: null,
      api_key: null,
    };
    const file = KeysFile.open(path);
    file.write(record);
    file.write(record);
    file.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const reopened = KeysFile.open(path);
    reopened.write(record);
    reopened.write({ ...record, invite_id: "invite_2" });
    reopened.close();
    expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(2);

    const open = join(dir, "open.jsonl");
    writeFileSync(open, "", { mode: 0o644 });
    expect(() => KeysFile.open(open)).toThrow(/not a private file of yours \(mode 644\)/);
  });
});

describe("output", () => {
  it("should draw bars to the eighth and align tables", () => {
    expect(bar(1, 1, 4)).toBe("████");
    expect(bar(1, 2, 4)).toBe("██");
    expect(bar(1, 16, 4)).toBe("▎");
    expect(bar(0, 10)).toBe("");
    expect(
      table(
        [
          { a: "x", n: "1" },
          { a: "longer", n: "100" },
        ],
        [
          { header: "name", value: (r) => r.a },
          { header: "n", value: (r) => r.n, align: "right" },
        ],
      ),
    ).toBe("NAME      N\nx         1\nlonger  100");
  });
});
