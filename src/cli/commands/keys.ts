import type { ApiKeyCreateParams as SdkApiKeyCreateParams } from "@steward/sdk";
import type { Command } from "commander";
import {
  type ApiKey,
  ApiKeyCreateParams,
  ApiKeyListQuery,
  ApiKeyUpdateParams,
} from "../../contract/api-keys.js";
import { action } from "../context.js";
import { addSchemaFlags, bodyOf, requireSome } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { formatTime, print } from "../output.js";
import { resolveApiKeyId, resolveFields } from "../resolve.js";

export const keyColumns = [
  { header: "id", value: (k: ApiKey) => k.id },
  { header: "name", value: (k: ApiKey) => k.name },
  { header: "key", value: (k: ApiKey) => k.partial_key_hint },
  { header: "status", value: (k: ApiKey) => k.status },
  { header: "workspace", value: (k: ApiKey) => k.workspace_id },
  { header: "holder", value: (k: ApiKey) => holderOf(k) },
  { header: "expires", value: (k: ApiKey) => formatTime(k.expires_at) },
  { header: "last used", value: (k: ApiKey) => formatTime(k.last_used_at) },
];

/** Who the key belongs to: a member's id, a service account's, or `-`. */
function holderOf(key: ApiKey): string {
  switch (key.principal?.type) {
    case "user_actor":
      return key.principal.user_id;
    case "service_account_actor":
      return key.principal.service_account_id;
    default:
      return "-";
  }
}

/** `steward keys list|create|revoke|update`: API keys for the Claude API. */
export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("API keys for the Claude API");

  const list = keys.command("list").description("List API keys (hints only)");
  const listFlags = addSchemaFlags(list, ApiKeyListQuery, {
    omit: ["limit", "after_id", "before_id"],
    describe: {
      workspace_id: "only keys of this workspace (id or name)",
      created_by_user_id: "only keys created by this member (id or email)",
      service_account_id: "only keys of this service account (id or name)",
    },
  });
  addLimitFlag(list).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const filters = await resolveFields(ctx.admin, bodyOf(listFlags, ctx.opts), {
        workspace_id: "workspace",
        created_by_user_id: "user",
        service_account_id: "service_account",
      });
      const found = await collect<ApiKey>(
        ctx.admin.apiKeys.list({ ...filters, limit: pageSize(limit) }),
        limit,
      );
      printList(ctx, found, keyColumns);
    }),
  );

  const create = keys.command("create").description("Create an API key; it is printed once");
  const createFlags = addSchemaFlags(create, ApiKeyCreateParams, {
    describe: {
      name: "a name for the key",
      workspace_id:
        "The workspace the key belongs to (id or name); the default workspace when omitted",
      expires_at: "when the key stops working (RFC 3339; never by default)",
      user_id:
        "the member the key is issued to (id or email); it is revoked when they leave the organization",
      service_account_id:
        "the service account the key belongs to instead (id or name); it stays when people leave, and is revoked when the account is archived",
    },
  });
  create.action(
    action(async (ctx) => {
      const body = await resolveFields(
        ctx.admin,
        bodyOf<SdkApiKeyCreateParams>(createFlags, ctx.opts),
        { workspace_id: "workspace", user_id: "user", service_account_id: "service_account" },
      );
      const created = (await ctx.admin.apiKeys.create(body)) as ApiKey & { key: string };
      print(ctx, created, () =>
        [
          `Created API key ${created.id} (${created.name}) in ${created.workspace_id}.`,
          "Store it now; it will not be shown again:",
          "",
          `  ${created.key}`,
        ].join("\n"),
      );
    }),
  );

  keys
    .command("revoke")
    .description("Revoke an API key: it stops working at once and stays listed as archived")
    .argument("<key>", "the key's id (apikey_…) or name")
    .action(
      action(async (ctx, which: string) => {
        const id = await resolveApiKeyId(ctx.admin, which);
        const revoked = await ctx.admin.apiKeys.revoke(id);
        print(ctx, revoked, () => `Revoked API key ${which === id ? id : `${which} (${id})`}.`);
      }),
    );

  const update = keys
    .command("update")
    .description("Rename a key, or switch it between active and inactive")
    .argument("<key>", "the key's id (apikey_…) or name");
  const updateFlags = addSchemaFlags(update, ApiKeyUpdateParams, {
    describe: {
      name: "a new name",
      status: "active or inactive; archived revokes it for good",
    },
  });
  update.action(
    action(async (ctx, which: string) => {
      const body = requireSome(updateFlags, bodyOf(updateFlags, ctx.opts));
      const id = await resolveApiKeyId(ctx.admin, which);
      const updated = (await ctx.admin.apiKeys.update(id, body)) as ApiKey;
      print(
        ctx,
        updated,
        () => `Updated API key ${updated.id}: ${updated.name}, ${updated.status}.`,
      );
    }),
  );
}
