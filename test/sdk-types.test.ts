/**
 * The SDK's public types, checked by `tsc -p tsconfig.json` (the assertions below fail to compile
 * when a method's type drifts) and run as a trivial test.
 */
import {
  type AbstractPage,
  type APIPromise,
  type ApiKeyCreated,
  type AuditLog,
  type CostReportBucket,
  type components,
  type MessagesUsageBucket,
  type NDJSONStreamPromise,
  type Organization,
  type Page,
  type PagePromise,
  type ReportPage,
  type ReportPagePromise,
  type RequestOptions,
  StewardAdmin,
  type User,
  type UserListParams,
  type WorkspaceMember,
} from "@steward/sdk";
import { describe, expectTypeOf, it } from "vitest";

describe("@steward/sdk types", () => {
  it("should type every method from the generated contract", () => {
    const admin = new StewardAdmin({ baseURL: "http://steward.invalid", adminKey: "k" });

    expectTypeOf<User>().toEqualTypeOf<components["schemas"]["User"]>();
    expectTypeOf(admin.organization.retrieve()).toEqualTypeOf<APIPromise<Organization>>();
    expectTypeOf(admin.users.list()).toEqualTypeOf<PagePromise<User>>();
    expectTypeOf<Awaited<PagePromise<User>>>().toEqualTypeOf<Page<User>>();
    expectTypeOf<Page<User>>().toExtend<AbstractPage<User>>();
    expectTypeOf(admin.workspaces.members.list).returns.toEqualTypeOf<
      PagePromise<WorkspaceMember>
    >();
    expectTypeOf(admin.apiKeys.create).returns.toEqualTypeOf<APIPromise<ApiKeyCreated>>();
    expectTypeOf(admin.usage.messages).returns.toEqualTypeOf<
      ReportPagePromise<MessagesUsageBucket>
    >();
    expectTypeOf<Awaited<ReportPagePromise<CostReportBucket>>>().toEqualTypeOf<
      ReportPage<CostReportBucket>
    >();
    expectTypeOf(admin.auditLogs.export).returns.toEqualTypeOf<NDJSONStreamPromise<AuditLog>>();
    expectTypeOf(admin.costs.report).returns.toEqualTypeOf<ReportPagePromise<CostReportBucket>>();

    // Optional parameters take `undefined` (callers with exactOptionalPropertyTypes).
    expectTypeOf<{ limit: undefined; email: string }>().toExtend<UserListParams>();
    expectTypeOf<{ limit: "10" }>().not.toExtend<UserListParams>();
    expectTypeOf<{
      signal: undefined;
      timeout: 5;
      idempotencyKey: "k";
      headers: { "x-a": null };
    }>().toExtend<RequestOptions>();
    // Required body fields stay required.
    expectTypeOf<{ role: "developer" }>().not.toExtend<
      Parameters<typeof admin.invites.create>[0]
    >();
  });
});
