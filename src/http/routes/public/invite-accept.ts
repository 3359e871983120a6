import { errorResponses } from "../../../contract/common.js";
import { InviteAcceptParams } from "../../../contract/invites.js";
import { User } from "../../../contract/users.js";
import type { Services } from "../../../core/services.js";
import { requestMeta } from "../../admin-auth.js";
import type { ZodApp } from "../../types.js";

/** The one route an invited person calls: no admin key, the invite's one-time token instead. */
export function registerInviteAcceptRoute(app: ZodApp, services: Services): void {
  app.post(
    "/v1/invites/accept",
    {
      schema: {
        operationId: "acceptInvite",
        tags: ["Invites"],
        summary: "Accept an invite with its one-time token and join the organization",
        security: [],
        body: InviteAcceptParams,
        response: { 200: User, ...errorResponses },
      },
    },
    (request) => services.invites.accept(request.body, requestMeta(request)),
  );
}
