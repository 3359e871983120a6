import { readFileSync } from "node:fs";
import type { Organization } from "../../contract/organizations.js";
import type { Ctx } from "../context.js";
import { CliError, ExitCode, ExitStatus } from "../errors.js";
import { type Column, table, writeErr, writeOut } from "../output.js";
import { allWorkspaces, WorkspaceIndex } from "../resolve.js";
import { CsvError, type CsvRecord, readCsv } from "./csv.js";
import { Journal } from "./journal.js";
import { KeysFile } from "./keys-file.js";
import { Progress } from "./progress.js";
import { type Header, type InvalidRow, type Person, readHeader, readRows } from "./rows.js";
import { type RowResult, runOnboarding } from "./runner.js";

export interface BulkOptions {
  csv: string;
  keysFile?: string;
  journal?: string;
  concurrency: number;
  apiKeys?: boolean;
  /** Seconds from now. */
  keyExpiresIn?: number;
  showKeys?: boolean;
  dryRun?: boolean;
}

/** The CSV's header and records. */
function readPeople(path: string): { header: Header; records: CsvRecord[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const records = readCsv(bytes);
    return { header: readHeader(records[0]), records: records.slice(1) };
  } catch (error) {
    if (error instanceof CsvError) {
      throw new CliError(`${path}: ${error.message}`);
    }
    throw error;
  }
}

const invalidResult = (row: InvalidRow): RowResult => ({
  type: "row",
  line: row.line,
  email: row.email,
  outcome: "invalid",
  earlier: false,
  invite_id: null,
  api_key_id: null,
  message: row.errors.join("; "),
});

const resultColumns: Column<RowResult>[] = [
  { header: "line", value: (r) => String(r.line), align: "right" },
  { header: "email", value: (r) => r.email },
  {
    header: "outcome",
    value: (r) =>
      r.outcome === "exists" ? "already there" : r.outcome === "not_sent" ? "not sent" : r.outcome,
  },
  { header: "invite", value: (r) => r.invite_id ?? "" },
  { header: "api key", value: (r) => r.api_key_id ?? "" },
  {
    header: "note",
    value: (r) => [r.earlier ? "(earlier run)" : "", r.message ?? ""].filter(Boolean).join(" "),
  },
];

/**
 * `steward onboard --csv FILE`: validates every row first, then onboards the valid ones with a
 * journal that makes an interrupted run resumable without duplicates.
 */
export async function onboardCsv(ctx: Ctx, options: BulkOptions): Promise<void> {
  const { header, records } = readPeople(options.csv);
  if (header.ignored.length > 0) {
    writeErr(`steward: ignoring the columns ${header.ignored.join(", ")}`);
  }
  const workspaces = new WorkspaceIndex(await allWorkspaces(ctx.admin));
  const keyExpiresAt =
    options.keyExpiresIn === undefined
      ? undefined
      : new Date(Date.now() + options.keyExpiresIn * 1000).toISOString();
  const { people, invalid } = readRows(records, header, workspaces, {
    apiKeysByDefault: options.apiKeys === true,
    ...(keyExpiresAt !== undefined && { keyExpiresAt }),
  });
  const invalidResults = invalid.map(invalidResult);
  if (ctx.json) {
    for (const result of invalidResults) {
      writeOut(JSON.stringify(result));
    }
  } else {
    for (const row of invalid) {
      writeErr(
        `steward: line ${row.line} (${row.email || "no email"}) skipped: ${row.errors.join("; ")}`,
      );
    }
  }
  if (options.dryRun) {
    return dryRun(ctx, people, invalid);
  }

  const journalPath = options.journal ?? `${options.csv}.steward-onboard.jsonl`;
  const keysPath = options.keysFile ?? `${options.csv}.steward-keys.jsonl`;
  if (people.length === 0) {
    // Nothing to send: no journal, no keys file.
    return finish(ctx, invalidResults, {
      keysPath: null,
      journalPath: null,
      showKeys: false,
      interrupted: false,
    });
  }
  const organization = (await ctx.admin.organization.retrieve()) as Organization;
  const journal = Journal.open(journalPath);
  const baseURL = String(ctx.opts.url ?? process.env.STEWARD_URL ?? "");
  if (journal.run && journal.run.organization_id !== organization.id) {
    journal.close();
    throw new CliError(
      `the journal ${journalPath} belongs to organization ${journal.run.organization_id} (${journal.run.base_url}), not ${organization.id}: pass --journal to start another`,
    );
  }
  if (!journal.run) {
    journal.append({
      type: "run",
      at: new Date().toISOString(),
      base_url: baseURL,
      organization_id: organization.id,
    });
  }
  const keys = KeysFile.open(keysPath);

  const progress = new Progress(people.length);
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      process.exit(ExitCode.interrupted);
    }
    progress.clear();
    writeErr("steward: interrupted; finishing the requests in flight (Ctrl-C again to quit now)");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  let results: RowResult[];
  try {
    results = await runOnboarding(ctx.admin, people, journal, keys, {
      concurrency: options.concurrency,
      showKeys: options.showKeys === true,
      signal: controller.signal,
      onResult: (result, counts) => {
        if (ctx.json) {
          progress.clear();
          writeOut(JSON.stringify(result));
        }
        progress.update(
          counts.onboarded + counts.exists + counts.failed,
          counts,
          counts.onboarded + counts.exists + counts.failed === people.length,
        );
      },
    });
  } finally {
    process.off("SIGINT", onSigint);
    journal.close();
    keys.close();
    progress.clear();
  }

  const sent = new Set(results.map((r) => r.line));
  const notSent: RowResult[] = people
    .filter((p) => !sent.has(p.line))
    .map((p) => ({
      type: "row",
      line: p.line,
      email: p.email,
      outcome: "not_sent",
      earlier: false,
      invite_id: null,
      api_key_id: null,
      message: "interrupted before it was sent",
    }));
  finish(ctx, [...invalidResults, ...results, ...notSent], {
    keysPath,
    journalPath,
    showKeys: options.showKeys === true,
    interrupted: controller.signal.aborted,
  });
}

/** The results (a table, or a summary line after the JSON lines), the summary, the exit code. */
function finish(
  ctx: Ctx,
  results: RowResult[],
  options: {
    keysPath: string | null;
    journalPath: string | null;
    showKeys: boolean;
    interrupted: boolean;
  },
): void {
  const { keysPath, journalPath } = options;
  const all = [...results].sort((a, b) => a.line - b.line);
  const count = (outcome: RowResult["outcome"]) => all.filter((r) => r.outcome === outcome).length;
  const summary = {
    type: "summary" as const,
    rows: all.length,
    onboarded: count("onboarded"),
    exists: count("exists"),
    invalid: count("invalid"),
    failed: count("failed"),
    not_sent: count("not_sent"),
    earlier: all.filter((r) => r.earlier).length,
    api_keys: all.filter((r) => r.api_key_id !== null).length,
    keys_file: keysPath,
    journal: journalPath,
  };
  if (ctx.json) {
    writeOut(JSON.stringify(summary));
  } else {
    writeOut(table(all, [...resultColumns, ...(options.showKeys ? secretColumns : [])]));
  }
  writeErr(
    [
      `steward: ${summary.rows} rows: ${summary.onboarded} onboarded, ${summary.exists} already there, ${summary.invalid} invalid, ${summary.failed} failed${summary.not_sent > 0 ? `, ${summary.not_sent} not sent` : ""}${summary.earlier > 0 ? ` (${summary.earlier} finished by an earlier run)` : ""}.`,
      ...(keysPath === null
        ? []
        : [
            `steward: invite tokens and API keys are in ${keysPath} (mode 600); deliver them securely and delete the file.`,
          ]),
      ...(summary.failed + summary.not_sent > 0
        ? [
            "steward: run the same command again to retry the rows not onboarded; finished rows are skipped.",
          ]
        : []),
    ].join("\n"),
  );
  if (options.interrupted) {
    throw new ExitStatus(ExitCode.interrupted);
  }
  if (summary.invalid + summary.failed > 0) {
    throw new ExitStatus(ExitCode.failure);
  }
}

const secretColumns: Column<RowResult>[] = [
  { header: "invite token", value: (r) => r.invite_token ?? "" },
  { header: "api key secret", value: (r) => r.api_key ?? "" },
];

function dryRun(ctx: Ctx, people: Person[], invalid: InvalidRow[]): void {
  const plan = people.map((p) => ({
    type: "plan" as const,
    line: p.line,
    email: p.email,
    role: p.body.role,
    workspace_id: p.body.workspaces?.[0]?.workspace_id ?? null,
    workspace_role: p.body.workspaces?.[0]?.workspace_role ?? null,
    api_key_name: p.body.api_key?.name ?? null,
  }));
  if (ctx.json) {
    for (const row of plan) {
      writeOut(JSON.stringify(row));
    }
  } else {
    writeOut(
      table(plan, [
        { header: "line", value: (r) => String(r.line), align: "right" },
        { header: "email", value: (r) => r.email },
        { header: "role", value: (r) => r.role },
        { header: "workspace", value: (r) => r.workspace_id ?? "" },
        { header: "workspace role", value: (r) => r.workspace_role ?? "" },
        { header: "api key", value: (r) => r.api_key_name ?? "" },
      ]),
    );
  }
  writeErr(
    `steward: dry run: ${people.length} rows to onboard, ${invalid.length} invalid; nothing was sent.`,
  );
  if (invalid.length > 0) {
    throw new ExitStatus(ExitCode.failure);
  }
}
