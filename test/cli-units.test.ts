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
import { formatUsd as sdkFormatUsd } from "@steward/sdk";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { durationFlag, durationMs } from "../src/cli/durations.js";
import { UsageError } from "../src/cli/errors.js";
import { addSchemaFlags, bodyOf } from "../src/cli/flags.js";
import { CsvError, detectDelimiter, parseCsv, readCsv } from "../src/cli/onboard/csv.js";
import { Journal } from "../src/cli/onboard/journal.js";
import { KeysFile } from "../src/cli/onboard/keys-file.js";
import { bar, displayWidth, formatUsd, table } from "../src/cli/output.js";
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

  it("should keep each record's first line after blank rows and quoted line breaks", () => {
    const text = 'email;name\n\n;\n"a@x.com";"one\r\ntwo\nthree"\nb@x.com;B\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["email", "name"] },
      { line: 4, fields: ["a@x.com", "one\ntwo\nthree"] },
      { line: 7, fields: ["b@x.com", "B"] },
    ]);
  });

  it("should take the delimiter the header row uses: comma, semicolon, tab or bar", () => {
    expect(detectDelimiter("email;name;role\nx,y;z")).toBe(";");
    expect(detectDelimiter("email\tname\trole")).toBe("\t");
    expect(detectDelimiter("email|name|role")).toBe("|");
    expect(detectDelimiter('"last; first",email,role')).toBe(",");
    expect(detectDelimiter("email")).toBe(",");
    expect(parseCsv("email;name;role\na@x.com;Smith, Al;user\n")).toEqual([
      { line: 1, fields: ["email", "name", "role"] },
      { line: 2, fields: ["a@x.com", "Smith, Al", "user"] },
    ]);
  });

  it("should decode UTF-8 with or without a BOM, and UTF-16 LE and BE by their BOM", () => {
    const text = "email;name\nli@x.com;李小龍\n";
    const expected = [
      { line: 1, fields: ["email", "name"] },
      { line: 2, fields: ["li@x.com", "李小龍"] },
    ];
    const utf16be = (s: string) => Buffer.from(s, "utf16le").swap16();
    expect(readCsv(Buffer.from(text))).toEqual(expected);
    expect(readCsv(Buffer.from(`\uFEFF${text}`))).toEqual(expected);
    expect(readCsv(Buffer.from(`\uFEFF${text}`, "utf16le"))).toEqual(expected);
    expect(readCsv(utf16be(`\uFEFF${text}`))).toEqual(expected);
    // Without a mark, the zero bytes next to the header's ASCII tell UTF-16.
    expect(readCsv(Buffer.from(text, "utf16le"))).toEqual(expected);
    expect(readCsv(utf16be(text))).toEqual(expected);
    // Latin-1 (a legacy spreadsheet export): refused, naming the first line that is not UTF-8.
    expect(() => readCsv(Buffer.from("email\nb@x.com\nJos\xe9@x.com\n", "latin1"))).toThrow(
      /^line 3: the file is not UTF-8 text/,
    );
  });

  it("should refuse an unclosed quote and stray quotes, with the line", () => {
    expect(() => parseCsv('a,b\n"open,x\n')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n"open,x\n')).toThrow(/line 2: a quoted field is not closed/);
    expect(() => parseCsv('a,b\nx"y,z\n')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a,b\nc,d\n"x"y,z\n')).toThrow(/line 3: text after a closing quote/);
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

describe("tables by display width", () => {
  it("should align CJK, emoji and combining characters by the columns they take", () => {
    const rows = [
      { name: "李小龍", n: "1" },
      { name: "Zoe\u0308", n: "22" }, // e and a combining diaeresis
      { name: "🚀 team", n: "333" },
      { name: "plain", n: "4" },
    ];
    const out = table(rows, [
      { header: "name", value: (r) => r.name },
      { header: "n", value: (r) => r.n, align: "right" },
    ]);
    expect(out).toBe(
      ["NAME       N", "李小龍     1", "Zoe\u0308       22", "🚀 team  333", "plain      4"].join(
        "\n",
      ),
    );
    // Each line ends in the same column.
    expect(new Set(out.split("\n").map(displayWidth))).toEqual(new Set([12]));
  });
});

describe("durations", () => {
  it("should read one syntax: ms, s, m, h, d, combined from the largest unit, bare seconds", () => {
    expect(durationMs("500ms")).toBe(500);
    expect(durationMs("30s")).toBe(30_000);
    expect(durationMs("5m")).toBe(300_000);
    expect(durationMs("2h")).toBe(7_200_000);
    expect(durationMs("7d")).toBe(604_800_000);
    expect(durationMs("1h30m")).toBe(5_400_000);
    expect(durationMs("1d12h30m15s250ms")).toBe(131_415_250);
    expect(durationMs("1.5s")).toBe(1500);
    expect(durationMs("3600")).toBe(3_600_000);
    expect(durationMs(" 0 ")).toBe(0);
    for (const bad of ["", "m", "5x", "30m1h", "1h1h", "-5s", "1 h", "5mss", "h5", "1e3s"]) {
      expect(durationMs(bad), bad).toBeUndefined();
    }
  });

  it("should give each flag its unit and say what is wrong", () => {
    expect(durationFlag({ unit: "ms" })("2m")).toBe(120_000);
    expect(durationFlag({ unit: "s" })("1h30m")).toBe(5400);
    expect(durationFlag({ unit: "s", allowZero: true })("0")).toBe(0);
    expect(() => durationFlag({ unit: "s" })("0")).toThrow(/above 0/);
    expect(() => durationFlag({ unit: "s" })("1500ms")).toThrow(/whole seconds/);
    expect(() => durationFlag({ unit: "ms" })("soon")).toThrow(
      'expected a duration such as 500ms, 30s, 5m, 2h, 7d or 1h30m, not "soon"',
    );
  });
});

describe("amounts", () => {
  it("should show a non-zero amount under a cent with the digits to see it, zero as $0.00", () => {
    // The CLI's is @steward/sdk's, as the console's and the alert messages' are.
    for (const format of [formatUsd, sdkFormatUsd]) {
      expect(format(0)).toBe("$0.00");
      expect(format(0.0042)).toBe("$0.0042");
      expect(format(0.004)).toBe("$0.0040");
      expect(format(0.0000031)).toBe("$0.0000031");
      expect(format(0.01)).toBe("$0.01");
      expect(format(1234.567)).toBe("$1,234.57");
      expect(format(-0.0042)).toBe("-$0.0042");
    }
    expect(formatUsd(null)).toBe("-");
  });
});
