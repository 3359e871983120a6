/**
 * Type-level conformance, checked by `tsc` in `npm run check` (there is nothing to run): each
 * object Steward's contract answers (`@steward/sdk`'s generated types) is assignable to what the
 * official `@anthropic-ai/sdk` declares the method serving it returns. A field the SDK declares
 * that Steward lacks, or types differently, fails to compile here.
 *
 * test/admin-api-sdk-types.test.ts checks the same at run time, for every served method.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { components } from "@steward/sdk";

type S = components["schemas"];
type Org = Anthropic["organization"];
type Analytics = Anthropic["beta"]["organization"]["analytics"];

type Answer<F extends (...args: any[]) => unknown> = Awaited<ReturnType<F>>;
/** The items of a page the method answers. */
type Item<F extends (...args: any[]) => unknown> =
  Answer<F> extends { data: Array<infer I> } ? I : never;

/** Compiles only when Steward's type is assignable to the SDK's: the constraint is the check. */
type Conforms<Steward extends Sdk, Sdk> = [Steward, Sdk];

/**
 * The workspace's `compartment_id` is the one field on purpose not as declared: the SDK says
 * string, Steward answers null (it has no encryption compartment to name; docs/api.md).
 */
type WithoutCompartment<T> = Omit<T, "compartment_id">;

export type AnthropicSdkConformance = [
  Conforms<S["Organization"], Answer<Org["retrieve"]>>,
  Conforms<S["User"], Answer<Org["users"]["retrieve"]>>,
  Conforms<S["User"], Item<Org["users"]["list"]>>,
  Conforms<S["UserUpdated"], Answer<Org["users"]["update"]>>,
  Conforms<S["UserDeleteResponse"], Answer<Org["users"]["remove"]>>,
  Conforms<S["InviteCreated"], Answer<Org["invites"]["create"]>>,
  Conforms<S["Invite"], Answer<Org["invites"]["retrieve"]>>,
  Conforms<S["Invite"], Item<Org["invites"]["list"]>>,
  Conforms<S["InviteDeleteResponse"], Answer<Org["invites"]["delete"]>>,
  Conforms<
    WithoutCompartment<S["Workspace"]>,
    WithoutCompartment<Answer<Org["workspaces"]["retrieve"]>>
  >,
  Conforms<WithoutCompartment<S["Workspace"]>, WithoutCompartment<Item<Org["workspaces"]["list"]>>>,
  Conforms<S["WorkspaceMember"], Answer<Org["workspaces"]["members"]["retrieve"]>>,
  Conforms<S["WorkspaceMember"], Item<Org["workspaces"]["members"]["list"]>>,
  Conforms<S["WorkspaceMemberDeleteResponse"], Answer<Org["workspaces"]["members"]["remove"]>>,
  Conforms<S["ApiKey"], Answer<Org["apiKeys"]["retrieve"]>>,
  Conforms<S["ApiKey"], Item<Org["apiKeys"]["list"]>>,
  Conforms<S["ServiceAccount"], Answer<Org["serviceAccounts"]["retrieve"]>>,
  Conforms<S["ServiceAccount"], Item<Org["serviceAccounts"]["list"]>>,
  Conforms<
    S["ServiceAccountWorkspaceMember"],
    Answer<Org["workspaces"]["serviceAccounts"]["retrieve"]>
  >,
  Conforms<S["ServiceAccountWorkspaceMember"], Item<Org["serviceAccounts"]["workspaces"]["list"]>>,
  Conforms<
    S["ServiceAccountWorkspaceMemberDeleteResponse"],
    Answer<Org["workspaces"]["serviceAccounts"]["remove"]>
  >,
  Conforms<
    S["ServiceAccountWorkspaceMemberDeleteResponse"],
    Answer<Org["serviceAccounts"]["workspaces"]["remove"]>
  >,
  Conforms<S["AnalyticsUsageItem"], Item<Analytics["usage"]["list"]>>,
  Conforms<S["AnalyticsCostItem"], Item<Analytics["cost"]["list"]>>,
  Conforms<S["AnalyticsUsageReportPage"]["data"][number], Item<Analytics["usageReport"]["list"]>>,
  Conforms<S["AnalyticsCostReportPage"]["data"][number], Item<Analytics["costReport"]["list"]>>,
  Conforms<
    S["AnalyticsUserUsageReportPage"]["data"][number],
    Item<Analytics["userUsageReport"]["list"]>
  >,
  Conforms<
    S["AnalyticsUserCostReportPage"]["data"][number],
    Item<Analytics["userCostReport"]["list"]>
  >,
];
