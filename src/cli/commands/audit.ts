import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Command } from "commander";
import { AuditLogQuery } from "../../contract/audit.js";
import { AnchorSet, readAnchors } from "../../core/audit-anchor.js";
import { action } from "../context.js";
import { CliError, ExitCode, ExitStatus, UsageError } from "../errors.js";
import { addSchemaFlags, bodyOf } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { withServices } from "../operator.js";
import { formatTime, print, writeErr } from "../output.js";
import { resolveUserId } from "../resolve.js";

type AuditParams = Parameters<import("@steward/sdk").StewardAdmin["auditLogs"]["list"]>[0];

/** `steward audit …`: read and export the audit log (server), verify its chains (operator). */
export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("The audit log");

  const list = audit
    .command("list")
    .description(
      "List audit records, newest first (--oldest-first for the other way), with filters",
    )
    .option("--oldest-first", "the oldest records first, as the API lists them by default");
  addActorUserFlag(list);
  const listFlags = addSchemaFlags(list, AuditLogQuery, {
    omit: ["limit", "before_id", "order", "actor_user_id"],
    describe: { after_id: "the records after this one, in the order shown (to page on)" },
  });
  addLimitFlag(list, 100).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const params = {
        ...bodyOf(listFlags, ctx.opts),
        ...(await actorUserOf(ctx)),
        order: ctx.opts.oldestFirst === true ? "asc" : "desc",
        limit: pageSize(limit),
      };
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
  addActorUserFlag(exportCommand);
  const exportFlags = addSchemaFlags(exportCommand, AuditLogQuery, {
    omit: ["limit", "after_id", "before_id", "actor_user_id"],
  });
  exportCommand.action(
    action(async (ctx) => {
      const params = { ...bodyOf(exportFlags, ctx.opts), ...(await actorUserOf(ctx)) };
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
      "Check every organization's audit hash chain, and check it against the signed chain heads (anchors) when AUDIT_ANCHOR_KEY is set: name the first record altered, removed or reordered, a chain cut short or deleted, a chain rewritten and rehashed (operator: works on DATABASE_URL)",
    )
    .option("--org <id>", "only this organization's chain")
    .option(
      "--anchors <file>",
      "read the anchors from this file (an anchor file, or log lines carrying audit_anchor); repeatable (default: $AUDIT_ANCHOR_FILE)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(
      action(async (ctx) => {
        const org = ctx.opts.org as string | undefined;
        const given = ctx.opts.anchors as string[] | undefined;
        const result = await withServices(async (services, { config, database }) => {
          const key = config.AUDIT_ANCHOR_KEY;
          const files =
            given ?? (config.AUDIT_ANCHOR_FILE === undefined ? [] : [config.AUDIT_ANCHOR_FILE]);
          if (key === undefined && given !== undefined) {
            throw new UsageError(
              "--anchors needs AUDIT_ANCHOR_KEY (or AUDIT_ANCHOR_KEY_FILE): the anchors' signatures are checked with it",
            );
          }
          const anchors = key === undefined || files.length === 0 ? undefined : new AnchorSet();
          if (key !== undefined && anchors !== undefined) {
            for (const file of files) {
              await readAnchors(key, file, anchors).catch((error: NodeJS.ErrnoException) => {
                throw new CliError(
                  `cannot read the anchors in ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`,
                );
              });
            }
          }
          const verdicts = await services.auditLog.verify(org, anchors);
          if (verdicts.length === 0) {
            throw new CliError(
              org === undefined
                ? `nothing to verify: ${database} holds no organization, no audit record, and no anchor names one. Is DATABASE_URL the server's database?`
                : `nothing to verify: organization ${org} is not in ${database}, has no audit record there, and no anchor names it`,
            );
          }
          return {
            data: verdicts,
            anchors: {
              checked: anchors !== undefined,
              files: anchors === undefined ? [] : files,
              count: anchors?.count ?? 0,
              problems: anchors?.problems ?? [],
            },
            unanchoredReason:
              key === undefined
                ? "AUDIT_ANCHOR_KEY is not set"
                : anchors === undefined
                  ? "no anchor file: set AUDIT_ANCHOR_FILE or pass --anchors"
                  : undefined,
          };
        });
        const { data: verdicts, anchors, unanchoredReason } = result;
        if (unanchoredReason !== undefined) {
          writeErr(
            `warning: chain-only verification (${unanchoredReason}): it cannot detect the newest records deleted, a whole organization's chain deleted (unless the organization is still there), or a record rewritten with every later hash recomputed`,
          );
        } else {
          writeErr(
            `anchors: ${anchors.count} read from ${anchors.files.join(", ")}${anchors.problems.length > 0 ? `, ${anchors.problems.length} not trusted` : ""}`,
          );
        }
        print(ctx, { data: verdicts, anchors }, () =>
          [
            ...verdicts.map((v) => {
              const chain = v.organizationId === "" ? "unattributed failures" : v.organizationId;
              if (!v.ok) {
                return v.id === null
                  ? `${chain}: BROKEN: ${v.reason}`
                  : `${chain}: BROKEN at record ${v.chainSeq} (${v.id}): ${v.reason}`;
              }
              const anchored = !anchors.checked
                ? ""
                : v.anchoredSeq === null
                  ? ", not anchored yet"
                  : `, anchored up to record ${v.anchoredSeq}`;
              return `${chain}: intact, ${v.records} records, head ${v.head}${anchored}`;
            }),
            ...anchors.problems.map(
              (p) => `anchor NOT TRUSTED: ${p.file} line ${p.line}: ${p.reason}`,
            ),
          ].join("\n"),
        );
        const broken = verdicts.filter((v) => !v.ok).length;
        const untrusted = anchors.problems.length;
        if (broken > 0 || untrusted > 0) {
          throw new ExitStatus(
            ExitCode.chainBroken,
            [
              broken > 0 ? `${broken} audit chain${broken === 1 ? " is" : "s are"} broken` : "",
              untrusted > 0
                ? `${untrusted} anchor${untrusted === 1 ? " is" : "s are"} not trusted (forged, altered, or of another key)`
                : "",
            ]
              .filter((part) => part !== "")
              .join("; "),
          );
        }
      }),
    );

  audit
    .command("anchor")
    .description(
      "Sign every audit chain's head now and append the anchors to AUDIT_ANCHOR_FILE (and print them, one JSON line each): as the server does every AUDIT_ANCHOR_INTERVAL_MS, for a database no server runs on (operator: works on DATABASE_URL)",
    )
    .action(
      action(async (ctx) => {
        const made = await withServices(async (_services, { config, wiring }) => {
          const key = config.AUDIT_ANCHOR_KEY;
          if (key === undefined) {
            throw new UsageError("AUDIT_ANCHOR_KEY (or AUDIT_ANCHOR_KEY_FILE) is not set");
          }
          const anchorer = wiring.auditAnchorer({ key, file: config.AUDIT_ANCHOR_FILE });
          return { anchors: await anchorer.anchor(), file: config.AUDIT_ANCHOR_FILE };
        });
        for (const anchor of made.anchors) {
          process.stdout.write(`${JSON.stringify(anchor)}\n`);
        }
        if (!ctx.json) {
          writeErr(
            `anchored ${made.anchors.length} chain${made.anchors.length === 1 ? "" : "s"}${made.file === undefined ? " (AUDIT_ANCHOR_FILE is not set: keep the lines above somewhere the database's administrators cannot write)" : ` to ${made.file}`}`,
          );
        }
      }),
    );
}

/** `--actor-user`: the API's `actor_user_id`, given as a member's id or email. */
function addActorUserFlag(command: Command): void {
  command.option(
    "--actor-user <id-or-email>",
    "only records this member did, through an admin key they hold or a console session of theirs",
  );
}

async function actorUserOf(ctx: {
  admin: import("@steward/sdk").StewardAdmin;
  opts: Record<string, unknown>;
}): Promise<{ actor_user_id?: string }> {
  const who = ctx.opts.actorUser as string | undefined;
  return who === undefined ? {} : { actor_user_id: await resolveUserId(ctx.admin, who) };
}
