import { apiKey, ID } from "./examples.js";
import type { OperationDocs } from "./types.js";

const record = {
  id: ID.audit,
  type: "audit_log",
  occurred_at: "2026-04-28T10:10:00.000Z",
  actor: { type: "admin_key", id: ID.adminKey },
  action: "api_key.created",
  target: { type: "api_key", id: ID.apiKey },
  outcome: "success",
  request_id: ID.request,
  client_ip: "203.0.113.7",
  user_agent: "steward-cli/0.1.0",
  changes: { before: null, after: { ...apiKey, last_used_at: null } },
  chain: {
    seq: 14,
    prev_hash: "5fdb433230beb59ca454bc4f7f2f2530ad8d6581e3843b43bcc1028dc848dae6",
    hash: "3dc663ab3495c2115d578b6e24107a324f1010927a8d29ca036bf0bfb91ef0ab",
  },
};

/** `GET /v1/organizations/audit_logs`. */
export const auditDocs: OperationDocs = {
  listAuditLogs: {
    summary: "List audit records",
    description:
      "Lists the organization's audit records, oldest first by default (`order=desc`: newest first, and `after_id` pages on to older ones): every admin action on either path family, through the CLI and at bootstrap, with its actor, target, request id, client address, user agent and the change (`changes.before`/`after`, secrets redacted). Filter by actor (`actor_id`, or `actor_user_id`: what a member did through an admin key they hold or a console session of theirs), action, target and time (`starting_at` inclusive, `ending_at` exclusive). Each record's `chain` places it in the organization's hash chain, which `steward audit verify` checks. With `Accept: application/x-ndjson` the answer is every matching record, one JSON object per line, streamed without paging.",
    response: { data: [record], has_more: true, first_id: ID.audit, last_id: ID.audit },
  },
};
