import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { UserOnboardParams } from "@steward/sdk";
import { APIConnectionError, APIError, type StewardAdmin } from "@steward/sdk";
import type { OnboardResponse } from "../../contract/lifecycle.js";
import { apiErrorFields, describeSdkError } from "../client.js";
import type { Journal, Outcome } from "./journal.js";
import type { KeysFile } from "./keys-file.js";
import type { Counts } from "./progress.js";
import type { Person } from "./rows.js";

/** Rounds of retries of a row after the SDK's own, for failures that may pass (409, 429, 5xx). */
const RETRY_ROUNDS = 3;

/** One row's result, as printed (a table row, or a JSON line with `--json`). */
export interface RowResult {
  type: "row";
  line: number;
  email: string;
  outcome: Outcome | "invalid" | "not_sent";
  /** Finished by an earlier run (and skipped by this one). */
  earlier: boolean;
  invite_id: string | null;
  api_key_id: string | null;
  message: string | null;
  /** Only with `--show-keys`. */
  invite_token?: string;
  api_key?: string;
}

export interface RunnerOptions {
  concurrency: number;
  showKeys: boolean;
  signal: AbortSignal;
  onResult(result: RowResult, counts: Counts): void;
}

/** The same request as the one journaled: the body, apart from a key expiry computed then. */
function sameRequest(a: unknown, b: unknown): boolean {
  const strip = (body: unknown) => {
    const copy = structuredClone(body) as { api_key?: { expires_at?: unknown } };
    if (copy.api_key) {
      delete copy.api_key.expires_at;
    }
    return JSON.stringify(copy);
  };
  return strip(a) === strip(b);
}

function classify(error: unknown): { outcome: Outcome; retryable: boolean; message: string } {
  if (error instanceof APIError) {
    const f = apiErrorFields(error);
    if (f.code === "already_member") {
      return { outcome: "exists", retryable: false, message: "already a member" };
    }
    if (f.code === "invite_already_exists") {
      return { outcome: "exists", retryable: false, message: "already has a pending invite" };
    }
    const status = f.status ?? 0;
    return {
      outcome: "failed",
      retryable:
        status === 0 || status === 408 || status === 409 || status === 429 || status >= 500,
      message: describeSdkError(error) ?? f.message,
    };
  }
  if (error instanceof APIConnectionError) {
    return {
      outcome: "failed",
      retryable: true,
      message: describeSdkError(error) ?? "unreachable",
    };
  }
  throw error;
}

/**
 * Onboards `people` through `POST /v1/organizations/users/onboard`, `concurrency` at a time,
 * journaling each request before it is sent and its outcome after; rows a previous run finished
 * are reported and skipped. Stops taking rows once `signal` aborts (requests in flight finish).
 */
export async function runOnboarding(
  admin: StewardAdmin,
  people: readonly Person[],
  journal: Journal,
  keys: KeysFile,
  options: RunnerOptions,
): Promise<RowResult[]> {
  const results: RowResult[] = [];
  const counts: Counts = { onboarded: 0, exists: 0, failed: 0 };
  const report = (result: RowResult) => {
    results.push(result);
    if (
      result.outcome === "onboarded" ||
      result.outcome === "exists" ||
      result.outcome === "failed"
    ) {
      counts[result.outcome]++;
    }
    options.onResult(result, counts);
  };

  const one = async (person: Person): Promise<void> => {
    const state = journal.states.get(person.id);
    const base = { type: "row" as const, line: person.line, email: person.email };
    const finished = state?.result;
    if (finished && finished.outcome !== "failed") {
      report({
        ...base,
        outcome: finished.outcome,
        earlier: true,
        invite_id: finished.invite_id ?? null,
        api_key_id: finished.api_key_id ?? null,
        message: finished.message ?? null,
      });
      return;
    }
    // Re-send an unfinished request as it was (same key, same body): the server replays it.
    const previous = state?.attempt;
    const resend =
      previous !== undefined &&
      (finished === undefined || finished.retryable === true) &&
      sameRequest(previous.body, person.body);
    const attempt = {
      type: "attempt" as const,
      at: new Date().toISOString(),
      id: person.id,
      line: person.line,
      idempotency_key: resend ? previous.idempotency_key : randomUUID(),
      body: resend ? previous.body : person.body,
    };
    journal.append(attempt);
    const done = (
      fields: Omit<RowResult, "type" | "line" | "email" | "earlier">,
      retryable = false,
    ) => {
      journal.append({
        type: "result",
        at: new Date().toISOString(),
        id: person.id,
        idempotency_key: attempt.idempotency_key,
        outcome: fields.outcome as Outcome,
        ...(fields.outcome === "failed" && { retryable }),
        invite_id: fields.invite_id,
        api_key_id: fields.api_key_id,
        ...(fields.message !== null && { message: fields.message }),
      });
      report({ ...base, earlier: false, ...fields });
    };
    let response: OnboardResponse;
    for (let round = 0; ; round++) {
      try {
        // The journal keeps the body exactly as it was checked and first sent.
        response = (await admin.users.onboard(attempt.body as UserOnboardParams, {
          idempotencyKey: attempt.idempotency_key,
        })) as OnboardResponse;
        break;
      } catch (error) {
        const c = classify(error);
        if (c.retryable && round < RETRY_ROUNDS && !options.signal.aborted) {
          // The SDK retried already; a bulk run gives a row a few more chances, same key.
          await sleep(Math.random() * 1000 * 2 ** round);
          continue;
        }
        done(
          { outcome: c.outcome, invite_id: null, api_key_id: null, message: c.message },
          c.retryable,
        );
        return;
      }
    }
    const key = response.api_key;
    keys.write({
      email: person.email,
      invite_id: response.invite.id,
      invite_token: response.invite.token,
      api_key_id: key?.id ?? null,
      api_key_name: key?.name ?? null,
      workspace_id: key?.workspace_id ?? null,
      api_key: key?.key ?? null,
    });
    done({
      outcome: "onboarded",
      invite_id: response.invite.id,
      api_key_id: key?.id ?? null,
      message: null,
      ...(options.showKeys && {
        invite_token: response.invite.token,
        ...(key && { api_key: key.key }),
      }),
    });
  };

  let next = 0;
  const worker = async () => {
    while (!options.signal.aborted) {
      const person = people[next++];
      if (person === undefined) {
        return;
      }
      await one(person);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, people.length)) }, worker),
  );
  return results;
}
