/**
 * The organization's settings: name, monthly spend limit, default model, require MFA and the IP
 * allow-list; and where admin keys are managed (the host operator's CLI: the API has no endpoint
 * for them).
 */
import type { Organization } from "@steward/sdk";
import { useId, useState } from "preact/hooks";
import { admin } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Field } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { dollars } from "../format.ts";
import { useLoad, usePageReady, useSubmit } from "../hooks.ts";
import { useSession } from "../session.ts";
import { CheckboxField, parseOptionalNumber } from "./common.tsx";

export function SettingsPage() {
  const session = useSession();
  const organization = useLoad(() => admin.organization.retrieve(), []);
  usePageReady("settings", organization.data !== undefined && !organization.loading);
  return (
    <>
      <PageHeader title="Settings" />
      {organization.error && <Notice kind="error">{organization.error}</Notice>}
      {organization.data && (
        <OrganizationForm organization={organization.data} onSaved={organization.reload} />
      )}
      {session.user.role === "owner" && <AdminKeys />}
    </>
  );
}

function OrganizationForm({
  organization,
  onSaved,
}: {
  organization: Organization;
  onSaved: () => void;
}) {
  const { settings, billing } = organization;
  const [name, setName] = useState(organization.name);
  const [limit, setLimit] = useState(billing.usage_limit_usd?.toString() ?? "");
  const [defaultModel, setDefaultModel] = useState(settings.default_model ?? "");
  const [requireMfa, setRequireMfa] = useState(settings.require_mfa);
  const [ranges, setRanges] = useState(settings.allowed_ip_ranges.join("\n"));
  const { busy, error, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const rangesId = useId();

  return (
    <form
      class="card"
      aria-labelledby={`${rangesId}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void run(async () => {
          const updated = await admin.organization.update({
            name: name.trim(),
            billing: { usage_limit_usd: parseOptionalNumber(limit, "The monthly spend limit") },
            settings: {
              default_model: defaultModel.trim() === "" ? null : defaultModel.trim(),
              require_mfa: requireMfa,
              allowed_ip_ranges: ranges
                .split(/[\s,]+/)
                .map((range) => range.trim())
                .filter((range) => range !== ""),
            },
          });
          // The server writes CIDRs in their normal form: show what it kept.
          setRanges(updated.settings.allowed_ip_ranges.join("\n"));
          setSaved(true);
          onSaved();
        });
      }}
    >
      <h2 id={`${rangesId}-heading`}>Organization</h2>
      <Field
        label="Organization name"
        required
        value={name}
        onInput={(event) => setName(event.currentTarget.value)}
      />
      <Field
        label="Monthly spend limit (USD)"
        hint={`Empty for no limit. This month so far: ${dollars(billing.current_month_usage_usd)}.`}
        inputMode="decimal"
        value={limit}
        onInput={(event) => setLimit(event.currentTarget.value)}
      />
      <Field
        label="Default model"
        hint="Stored for the organization's tools and clients to read; Steward does not rewrite requests. Empty for none."
        value={defaultModel}
        onInput={(event) => setDefaultModel(event.currentTarget.value)}
      />
      <CheckboxField
        label="Require multi-factor authentication"
        hint="Members signing in through the identity provider must have used a second factor."
        checked={requireMfa}
        onChange={setRequireMfa}
      />
      <div class="field">
        <label for={rangesId}>IP allow-list</label>
        <textarea
          id={rangesId}
          rows={5}
          value={ranges}
          aria-describedby={`${rangesId}-hint`}
          onInput={(event) => setRanges(event.currentTarget.value)}
        />
        <p class="hint" id={`${rangesId}-hint`}>
          One CIDR per line, e.g. 203.0.113.0/24. The gateway refuses the organization's API keys
          from other addresses. Empty allows every address.
        </p>
      </div>
      <Button type="submit" variant="primary" busy={busy}>
        Save settings
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
      {saved && <Notice kind="success">Settings saved.</Notice>}
    </form>
  );
}

const CLI_EXAMPLE = `steward admin-keys create --name "Jane's key" --user USER_ID
steward admin-keys list
steward admin-keys rotate adminkey_… --grace 24h
steward admin-keys revoke adminkey_…`;

/** Admin keys have no HTTP endpoint: the page says how an owner gets and rotates them. */
function AdminKeys() {
  return (
    <section class="card" aria-labelledby="admin-keys-heading">
      <h2 id="admin-keys-heading">Admin keys</h2>
      <p>
        Admin keys (<code>sk-ant-admin01-…</code>) are created, rotated and revoked by the host
        operator with Steward's CLI, on the machine Steward runs on; the Admin API has no endpoint
        for them, so that a stolen session cannot mint one.
      </p>
      <pre>
        <code>{CLI_EXAMPLE}</code>
      </pre>
    </section>
  );
}
