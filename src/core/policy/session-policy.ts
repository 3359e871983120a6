import { ADMIN_KEY_ROLES, mayHoldAdminKeys } from "../admin-keys/admin-roles.js";
import { AppError } from "../errors.js";

/**
 * What a console session may call on the Admin API, by its member's role. Owners and admins may
 * call what an admin key they hold may; the other roles nothing yet.
 */
export function ensureSessionMayCall(role: string, method: string, route: string): void {
  if (mayHoldAdminKeys(role)) {
    return;
  }
  throw new AppError(
    "permission_error",
    `the ${role} role may not call ${method} ${route} with a console session; only the ${ADMIN_KEY_ROLES.join(" or ")} role may`,
  );
}
