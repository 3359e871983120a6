/** The signed-in member, for every page: their role decides what a page shows. */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Role, Session } from "./api.ts";

export const SessionContext = createContext<Session | null>(null);

/** The session of a signed-in page (the app renders those only with one). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) {
    throw new Error("useSession() outside a signed-in page");
  }
  return session;
}

/** Owners and admins manage the organization; developers and users see their own part of it. */
export function isAdmin(role: Role): boolean {
  return role === "owner" || role === "admin";
}
