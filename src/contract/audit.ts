import { z } from "zod";
import { Id, ListOrder, ListQuery, Page, Timestamp, TimestampInput } from "./common.js";

export const ActorType = z.enum([
  "admin_key",
  "session",
  "operator",
  "invitee",
  "system",
  "anonymous",
]);

export const AuditLogQuery = ListQuery.extend({
  actor_type: ActorType.optional().describe("Only records of this kind of actor"),
  actor_id: Id.optional().describe("Only records of this actor (an admin key id, a session id, …)"),
  actor_user_id: Id.optional().describe(
    "Only records a member did: through an admin key they hold or a console session of theirs",
  ),
  action: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Only this action, e.g. `api_key.updated`"),
  target_type: z.string().min(1).max(100).optional(),
  target_id: Id.optional(),
  starting_at: TimestampInput.optional().describe("Records at or after this time"),
  ending_at: TimestampInput.optional().describe("Records before this time"),
  order: ListOrder,
});
export type AuditLogQuery = z.output<typeof AuditLogQuery>;

export const AuditLog = z
  .object({
    id: z.string(),
    type: z.literal("audit_log"),
    occurred_at: Timestamp,
    actor: z.object({ type: ActorType, id: z.string().nullable() }),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string().nullable() }),
    outcome: z.enum(["success", "failure"]),
    request_id: z.string().nullable(),
    client_ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    changes: z
      .object({ before: z.unknown(), after: z.unknown() })
      .describe("What changed, secrets redacted"),
    chain: z
      .object({ seq: z.number().int(), prev_hash: z.string(), hash: z.string() })
      .describe("The record's place in its organization's hash chain"),
  })
  .meta({ id: "AuditLog" });
export type AuditLog = z.output<typeof AuditLog>;

export const AuditLogPage = Page(AuditLog).meta({ id: "AuditLogPage" });
