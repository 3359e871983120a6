import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Command } from "commander";
import { AuditLogQuery } from "../../contract/audit.js";
import { action } from "../context.js";
import { ExitCode, ExitStatus } from "../errors.js";
import { addSchemaFlags, bodyOf } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { withServices } from "../operator.js";
import { formatTime, print, writeErr } from "../output.js";

type AuditParams = Parameters<import("@steward/sdk").StewardAdmin["auditLogs"]["list"]>[0];

/** `steward audit …`: read and export the audit log (server), verify its chains (operator). */
export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("The audit log");

  const list = audit.command("list").description("List audit records, oldest first, with filters");
  const listFlags = addSchemaFlags(list, AuditLogQuery, { omit: ["limit", "before_id"] });
  addLimitFlag(list, 100).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const params = { ...bodyOf(listFlags, ctx.opts), limit: pageSize(limit) };
      const records = await collect(ctx.admin.auditLogs.list(params as AuditParams), limit);
      printList(ctx, records, [
        { header: "time", value: (r) => formatTime(r.occurred_at) },
        { header: "action", value: (r) => r.action },
        { header: "outcome", value: (r) => r.outcome },
        { header: "actor", value: (r) => `${r.actor.type}${r.actor.id ? ` ${r.actor.id}` : ""}` },
        {
          header: "target",
          value: (r) => `${r.target.type}${r.target.id ? ` ${r.target.id}` : ""}`,
        },
        { header: "id", value: (r) => r.id },
      ]);
      if (records.has_more && !ctx.json) {
        writeErr(`next page: --after-id ${records.data.at(-1)?.id}`);
      }
    }),
  );

  const exportCommand = audit
    .command("export")
    .description("Write every matching audit record as NDJSON (one JSON object per line)")
    .option("-o, --output <file>", "write to this file instead of stdout");
  const exportFlags = addSchemaFlags(exportCommand, AuditLogQuery, {
    omit: ["limit", "after_id", "before_id"],
  });
  exportCommand.action(
    action(async (ctx) => {
      const params = bodyOf(exportFlags, ctx.opts);
      const file = ctx.opts.output as string | undefined;
      const out = file === undefined ? process.stdout : createWriteStream(file, { flags: "wx" });
      let count = 0;
      for await (const record of ctx.admin.auditLogs.export(params as AuditParams)) {
        count++;
        if (!out.write(`${JSON.stringify(record)}\n`)) {
          await once(out, "drain");
        }
      }
      if (file !== undefined) {
        out.end();
        await once(out, "finish");
        writeErr(`Wrote ${count} audit records to ${file}.`);
      }
    }),
  );

  audit
    .command("verify")
    .description(
      "Check every organization's audit hash chain; name the first record altered, removed or reordered (operator: works on DATABASE_URL)",
    )
    .option("--org <id>", "only this organization's chain")
    .action(
      action(async (ctx) => {
        const org = ctx.opts.org as string | undefined;
        const verdicts = await withServices((services) => services.auditLog.verify(org));
        print(ctx, { data: verdicts }, () =>
          verdicts
            .map((v) => {
              const chain = v.organizationId === "" ? "unattributed failures" : v.organizationId;
              return v.ok
                ? `${chain}: intact, ${v.records} records, head ${v.head}`
                : `${chain}: BROKEN at record ${v.chainSeq} (${v.id}): ${v.reason}`;
            })
            .join("\n"),
        );
        const broken = verdicts.filter((v) => !v.ok).length;
        if (broken > 0) {
          throw new ExitStatus(
            ExitCode.chainBroken,
            `${broken} audit chain${broken === 1 ? " is" : "s are"} broken`,
          );
        }
      }),
    );
}
