import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../src/core/errors.js";
import { INVITE_TTL_MS } from "../src/core/invites/invite.service.js";
import { describeEachBackend } from "./harness.js";
import { createServiceFixture, type ServiceFixture } from "./support/services.js";

/**
 * Rules that live in the services, tested at their level: called directly, on a clock the test
 * moves, with no HTTP. The HTTP shape of the same resources is in their own files.
 */
const DAY = 24 * 60 * 60 * 1000;
const meta = { requestId: null, clientIp: null, userAgent: null };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected the service to refuse");
}

describeEachBackend("services on a manual clock", (backend) => {
  let f: ServiceFixture;
  beforeEach(async () => {
    f = await createServiceFixture(backend);
  });
  afterEach(async () => {
    await f?.close();
  });

  describe("invites", () => {
    it("should accept an invite until it expires, and refuse it from then on", async () => {
      const early = await f.services.invites.create(f.ctx, {
        email: "early@x.example",
        role: "user",
      });
      const late = await f.services.invites.create(f.ctx, {
        email: "late@x.example",
        role: "user",
      });
      expect(late.expires_at).toBe(
        new Date(Date.parse(late.invited_at) + INVITE_TTL_MS).toISOString(),
      );

      f.clock.advance(INVITE_TTL_MS - 1);
      const joined = await f.services.invites.accept({ token: early.token }, meta);
      expect(joined.email).toBe("early@x.example");

      f.clock.advance(1);
      expect((await f.services.invites.get(f.ctx, late.id)).status).toBe("expired");
      const refused = await refusal(f.services.invites.accept({ token: late.token }, meta));
      expect(refused.type).toBe("invalid_request_error");
      expect(refused.errorCode).toBe("invite_not_pending");
    });
  });

  describe("API keys", () => {
    it("should show a key expired once its time has passed, and refuse to reactivate it", async () => {
      const expiresAt = new Date(f.clock.now().getTime() + DAY).toISOString();
      const key = await f.services.apiKeys.create(f.ctx, { name: "short", expires_at: expiresAt });
      expect((await f.services.apiKeys.get(f.ctx, key.id)).status).toBe("active");

      f.clock.advance(DAY);
      expect((await f.services.apiKeys.get(f.ctx, key.id)).status).toBe("expired");
      const refused = await refusal(f.services.apiKeys.update(f.ctx, key.id, { status: "active" }));
      expect(refused.type).toBe("invalid_request_error");
    });

    it("should refuse an expiry that is not in the future, by the clock", async () => {
      const now = f.clock.now().toISOString();
      const refused = await refusal(
        f.services.apiKeys.create(f.ctx, { name: "past", expires_at: now }),
      );
      expect(refused.message).toMatch(/expires_at/);
    });
  });

  describe("workspaces", () => {
    it("should stamp an archive with the clock's time, and keep it when archived again", async () => {
      const workspace = await f.services.workspaces.create(f.ctx, { name: "Temporary" });
      f.clock.advance(3 * DAY);
      const archived = await f.services.workspaces.archive(f.ctx, workspace.id);
      expect(archived.archived_at).toBe(f.clock.now().toISOString());
      f.clock.advance(DAY);
      const again = await f.services.workspaces.archive(f.ctx, workspace.id);
      expect(again.archived_at).toBe(archived.archived_at);
    });
  });
});
