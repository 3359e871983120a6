/**
 * The audit log, newest first: filter by actor, action and date, search by a member's email (the
 * records by them, through their admin keys and sessions, or about them), and export what the
 * filters match as NDJSON.
 */
import type { AuditLog, AuditLogListParams } from "@steward/sdk";
import { useEffect, useState } from "preact/hooks";
import { admin, collect } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Field, Select } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { Table } from "../components/table.tsx";
import { dateTime } from "../format.ts";
import { usePageReady, useSubmit } from "../hooks.ts";
import { downloadText, endOfDay, startOfDay } from "./common.tsx";

const PAGE_SIZE = 50;

type Filters = Omit<AuditLogListParams, "limit" | "after_id" | "before_id">;

interface FormState {
  actorType: string;
  actorId: string;
  action: string;
  from: string;
  to: string;
  email: string;
  /** What the member is to the records searched by email: who did them, or whom they are about. */
  relation: "by" | "about";
}

const EMPTY: FormState = {
  actorType: "",
  actorId: "",
  action: "",
  from: "",
  to: "",
  email: "",
  relation: "by",
};

const RELATIONS = [
  { value: "by", label: "Records by this member" },
  { value: "about", label: "Records about this member" },
];

const ACTOR_TYPES = [
  { value: "", label: "Any actor" },
  { value: "admin_key", label: "Admin key" },
  { value: "session", label: "Console session" },
  { value: "operator", label: "Host operator (CLI)" },
  { value: "invitee", label: "Invitee" },
  { value: "system", label: "Steward itself" },
  { value: "anonymous", label: "Anonymous" },
];

/**
 * The API's filters from the form; an email is resolved to its member's id: the actor's member
 * (`actor_user_id`) for records by them, the target for records about them.
 */
async function filtersOf(form: FormState): Promise<Filters> {
  const filters: Filters = { order: "desc" };
  if (form.actorType) {
    filters.actor_type = form.actorType as NonNullable<Filters["actor_type"]>;
  }
  if (form.actorId.trim()) {
    filters.actor_id = form.actorId.trim();
  }
  if (form.action.trim()) {
    filters.action = form.action.trim();
  }
  if (form.from) {
    filters.starting_at = startOfDay(form.from);
  }
  if (form.to) {
    filters.ending_at = endOfDay(form.to);
  }
  const email = form.email.trim();
  if (email) {
    const [user] = await collect(admin.users.list({ email }), 1);
    if (!user) {
      throw new Error(`No member of the organization has the email ${email}.`);
    }
    if (form.relation === "by") {
      filters.actor_user_id = user.id;
    } else {
      filters.target_id = user.id;
    }
  }
  return filters;
}

interface Loaded {
  records: AuditLog[];
  /** Fetches the next page, when there is one. */
  more: (() => Promise<Loaded>) | undefined;
}

async function loadPage(filters: Filters, afterId?: string): Promise<Loaded> {
  const page = await admin.auditLogs.list({
    ...filters,
    limit: PAGE_SIZE,
    ...(afterId && { after_id: afterId }),
  });
  const last = page.data.at(-1);
  return {
    records: page.data,
    more: page.has_more && last ? () => loadPage(filters, last.id) : undefined,
  };
}

export function AuditPage() {
  const [form, setForm] = useState<FormState>(EMPTY);
  const [applied, setApplied] = useState<Filters>({ order: "desc" });
  const [state, setState] = useState<Loaded>();
  const { busy, error, run } = useSubmit();
  usePageReady("audit", state !== undefined && !busy);

  const search = (next: FormState) =>
    run(async () => {
      setState(undefined);
      const filters = await filtersOf(next);
      setApplied(filters);
      setState(await loadPage(filters));
    });
  // The first search, with no filters, once.
  useEffect(() => {
    void search(EMPTY);
  }, []);
  const set = (field: keyof FormState) => (event: { currentTarget: { value: string } }) =>
    setForm({ ...form, [field]: event.currentTarget.value });

  return (
    <>
      <PageHeader title="Audit log">
        <ExportButton filters={applied} />
      </PageHeader>
      <form
        class="toolbar"
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          void search(form);
        }}
      >
        <Select
          label="Actor type"
          value={form.actorType}
          options={ACTOR_TYPES}
          onChange={set("actorType")}
        />
        <Field label="Actor ID" value={form.actorId} onInput={set("actorId")} />
        <Field
          label="Action"
          placeholder="api_key.created"
          value={form.action}
          onInput={set("action")}
        />
        <Field label="From" type="date" value={form.from} onInput={set("from")} />
        <Field label="To" type="date" value={form.to} onInput={set("to")} />
        <Field label="Member's email" type="email" value={form.email} onInput={set("email")} />
        <Select
          label="Member's records"
          value={form.relation}
          options={RELATIONS}
          onChange={set("relation")}
        />
        <div class="actions">
          <Button type="submit" variant="primary" busy={busy}>
            Search
          </Button>
          <Button
            onClick={() => {
              setForm(EMPTY);
              void search(EMPTY);
            }}
          >
            Clear
          </Button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {state && (
        <>
          <Table
            caption="Audit records, newest first"
            rows={state.records}
            rowKey={(r) => r.id}
            empty="No records match."
            columns={[
              { header: "Time", cell: (r) => dateTime(r.occurred_at) },
              {
                header: "Actor",
                cell: (r) => (
                  <>
                    {r.actor.type} <code>{r.actor.id ?? ""}</code>
                  </>
                ),
              },
              { header: "Action", cell: (r) => <code>{r.action}</code> },
              {
                header: "Target",
                cell: (r) => (
                  <>
                    {r.target.type} <code>{r.target.id ?? ""}</code>
                  </>
                ),
              },
              { header: "Outcome", cell: (r) => r.outcome },
            ]}
          />
          {state.more && (
            <Button
              busy={busy}
              onClick={() =>
                run(async () => {
                  const next = await state.more?.();
                  if (next) {
                    setState({ records: [...state.records, ...next.records], more: next.more });
                  }
                })
              }
            >
              Show older records
            </Button>
          )}
        </>
      )}
    </>
  );
}

/** Every record the filters match, streamed by the API's export, saved as NDJSON. */
function ExportButton({ filters }: { filters: Filters }) {
  const { busy, error, run } = useSubmit();
  return (
    <div>
      <Button
        busy={busy}
        onClick={() =>
          run(async () => {
            const lines: string[] = [];
            for await (const record of admin.auditLogs.export(filters)) {
              lines.push(JSON.stringify(record));
            }
            const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "");
            downloadText(
              `steward-audit-${stamp}.ndjson`,
              lines.map((line) => `${line}\n`).join(""),
              "application/x-ndjson",
            );
          })
        }
      >
        Export
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
