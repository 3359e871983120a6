import { OnboardParams } from "../../contract/lifecycle.js";
import { Email, OrganizationRole } from "../../contract/users.js";
import { AssignableWorkspaceRole } from "../../contract/workspaces.js";
import type { WorkspaceIndex } from "../resolve.js";
import { CsvError, type CsvRecord } from "./csv.js";

/**
 * The onboarding CSV: a header row, then one person a row. Columns (case, spaces, `-` and `_`
 * do not matter): `email` and `role` (required), `name`, `workspace` (a name or id),
 * `workspace role`, `api key` (yes/no; the `--api-keys` flag decides for rows that leave it
 * empty). Other columns are ignored.
 */

const COLUMNS = {
  email: ["email", "email_address", "e_mail"],
  name: ["name", "full_name"],
  role: ["role", "organization_role", "org_role"],
  workspace: ["workspace", "workspace_id", "workspace_name"],
  workspace_role: ["workspace_role"],
  api_key: ["api_key", "key", "apikey"],
} as const;

type Column = keyof typeof COLUMNS;

const normalize = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s\-_]+/g, "_");

export interface Header {
  index: Partial<Record<Column, number>>;
  ignored: string[];
}

export function readHeader(record: CsvRecord | undefined): Header {
  if (record === undefined) {
    throw new CsvError(
      "the file is empty: it needs a header row (email,name,role,workspace,workspace role)",
    );
  }
  const index: Partial<Record<Column, number>> = {};
  const ignored: string[] = [];
  record.fields.forEach((raw, i) => {
    const name = normalize(raw);
    const column = (Object.keys(COLUMNS) as Column[]).find((c) =>
      (COLUMNS[c] as readonly string[]).includes(name),
    );
    if (column === undefined || index[column] !== undefined) {
      ignored.push(raw);
    } else {
      index[column] = i;
    }
  });
  const missing = (["email", "role"] as const).filter((c) => index[c] === undefined);
  if (missing.length > 0) {
    throw new CsvError(
      `the header row has no ${missing.join(" or ")} column (found: ${record.fields.join(", ")})`,
    );
  }
  return { index, ignored };
}

/** A row that can be sent. */
export interface Person {
  line: number;
  email: string;
  /** The email as compared (lower case): the journal's key for the row. */
  id: string;
  name: string;
  body: OnboardParams;
}

export interface InvalidRow {
  line: number;
  email: string;
  errors: string[];
}

export interface RowOptions {
  /** Issue an API key to rows that leave `api key` empty. */
  apiKeysByDefault: boolean;
  /** `expires_at` for the keys issued (RFC 3339), or none. */
  keyExpiresAt?: string;
}

const YES = new Set(["yes", "y", "true", "1"]);
const NO = new Set(["no", "n", "false", "0"]);

export function readRows(
  records: readonly CsvRecord[],
  header: Header,
  workspaces: WorkspaceIndex,
  options: RowOptions,
): { people: Person[]; invalid: InvalidRow[] } {
  const people: Person[] = [];
  const invalid: InvalidRow[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const get = (column: Column) => {
      const at = header.index[column];
      return at === undefined ? "" : (record.fields[at] ?? "").trim();
    };
    const errors: string[] = [];
    const email = get("email");
    const parsedEmail = Email.safeParse(email);
    if (!parsedEmail.success) {
      errors.push(email === "" ? "no email" : `not an email address: ${JSON.stringify(email)}`);
    }
    const id = email.toLowerCase();
    const earlier = seen.get(id);
    if (parsedEmail.success && earlier !== undefined) {
      errors.push(`${email} is already on line ${earlier}`);
    }
    const role = get("role");
    if (!OrganizationRole.safeParse(role).success) {
      errors.push(
        `${role === "" ? "no role" : `unknown role ${JSON.stringify(role)}`} (one of ${OrganizationRole.options.join(", ")})`,
      );
    }
    const workspaceName = get("workspace");
    const workspaceRole = get("workspace_role");
    let workspace: { id: string; name: string } | undefined;
    if (workspaceName !== "") {
      const found = workspaces.find(workspaceName);
      if ("error" in found) {
        errors.push(found.error);
      } else {
        workspace = found.workspace;
      }
      if (workspaceRole === "") {
        errors.push(`no workspace role (one of ${AssignableWorkspaceRole.options.join(", ")})`);
      } else if (!AssignableWorkspaceRole.safeParse(workspaceRole).success) {
        errors.push(
          `unknown workspace role ${JSON.stringify(workspaceRole)} (one of ${AssignableWorkspaceRole.options.join(", ")})`,
        );
      }
    } else if (workspaceRole !== "") {
      errors.push("a workspace role without a workspace");
    }
    const keyCell = get("api_key").toLowerCase();
    let wantsKey = options.apiKeysByDefault;
    if (YES.has(keyCell)) {
      wantsKey = true;
    } else if (NO.has(keyCell)) {
      wantsKey = false;
    } else if (keyCell !== "") {
      errors.push(`api key must be yes or no, not ${JSON.stringify(get("api_key"))}`);
    }
    if (parsedEmail.success && earlier === undefined) {
      seen.set(id, record.line);
    }
    if (errors.length > 0) {
      invalid.push({ line: record.line, email, errors });
      continue;
    }
    const name = get("name");
    const keyName = `${name || email}${workspace ? ` - ${workspace.name}` : ""}`.slice(0, 500);
    const body = {
      email,
      role,
      ...(workspace && {
        workspaces: [{ workspace_id: workspace.id, workspace_role: workspaceRole }],
      }),
      ...(wantsKey && {
        api_key: {
          name: keyName,
          ...(workspace && { workspace_id: workspace.id }),
          ...(options.keyExpiresAt !== undefined && { expires_at: options.keyExpiresAt }),
        },
      }),
    };
    const checked = OnboardParams.safeParse(body);
    if (!checked.success) {
      invalid.push({
        line: record.line,
        email,
        errors: checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      });
      continue;
    }
    people.push({ line: record.line, email, id, name, body: body as OnboardParams });
  }
  return { people, invalid };
}
