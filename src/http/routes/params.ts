import { z } from "zod";

export const UserIdParams = z.object({ user_id: z.string().min(1) });
export const InviteIdParams = z.object({ invite_id: z.string().min(1) });
export const WorkspaceIdParams = z.object({ workspace_id: z.string().min(1) });
export const MemberParams = z.object({
  workspace_id: z.string().min(1),
  user_id: z.string().min(1),
});
export const ApiKeyIdParams = z.object({ api_key_id: z.string().min(1) });
export const AdminKeyIdParams = z.object({ admin_key_id: z.string().min(1) });
export const ServiceAccountIdParams = z.object({ service_account_id: z.string().min(1) });
export const ServiceAccountMemberParams = z.object({
  workspace_id: z.string().min(1),
  service_account_id: z.string().min(1),
});

export const WorkspaceRateLimitParams = z.object({
  workspace_id: z.string().min(1),
  rate_limit_id: z.string().min(1),
});
