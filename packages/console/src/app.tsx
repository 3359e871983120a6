import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  errorMessage,
  loadSession,
  type Role,
  type Session,
  signOut,
  whenSessionEnds,
} from "./api.ts";
import { Button } from "./components/button.tsx";
import { Notice } from "./components/notice.tsx";
import { AlertsPage } from "./pages/alerts.tsx";
import { AuditPage } from "./pages/audit.tsx";
import { InviteAcceptPage } from "./pages/invite-accept.tsx";
import { KeysPage } from "./pages/keys.tsx";
import { MembersPage } from "./pages/members.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { SettingsPage } from "./pages/settings.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { UsagePage } from "./pages/usage.tsx";
import { WorkspacePage, WorkspacesPage } from "./pages/workspaces.tsx";
import { href, navigate, onLinkClick, useRoute } from "./router.ts";
import { SessionContext } from "./session.ts";

const EVERYONE: Role[] = ["owner", "admin", "developer", "user"];
const ADMINS: Role[] = ["owner", "admin"];

interface PageDef {
  /** The first segment of the route: `workspaces` serves `workspaces` and `workspaces/<id>`. */
  route: string;
  label: string;
  /** Who sees it in the nav and may open it (the server enforces the same rules). */
  roles: Role[];
  render: (rest: string) => JSX.Element;
}

/** The signed-in pages, in nav order. */
const PAGES: PageDef[] = [
  { route: "", label: "Overview", roles: EVERYONE, render: () => <OverviewPage /> },
  { route: "members", label: "Members", roles: ADMINS, render: () => <MembersPage /> },
  {
    route: "workspaces",
    label: "Workspaces",
    roles: ["owner", "admin", "developer"],
    render: (id) => (id ? <WorkspacePage id={id} /> : <WorkspacesPage />),
  },
  { route: "keys", label: "API keys", roles: EVERYONE, render: () => <KeysPage /> },
  { route: "usage", label: "Usage and cost", roles: EVERYONE, render: () => <UsagePage /> },
  { route: "alerts", label: "Alerts", roles: ADMINS, render: () => <AlertsPage /> },
  { route: "audit", label: "Audit log", roles: ADMINS, render: () => <AuditPage /> },
  { route: "settings", label: "Settings", roles: ADMINS, render: () => <SettingsPage /> },
];

function pageOf(route: string): { page: PageDef | undefined; rest: string } {
  const [first = "", ...rest] = route.split("/");
  return { page: PAGES.find((p) => p.route === first), rest: rest.join("/") };
}

export function App() {
  const { route, query } = useRoute();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    loadSession().then(setSession, (error: unknown) => setLoadError(errorMessage(error)));
    whenSessionEnds(() => setSession(null));
  }, []);

  if (route === "sign-in") {
    return (
      <SignInPage
        error={query.get("error")}
        onSignedIn={(signedIn) => {
          setSession(signedIn);
          navigate(safeReturnTo(query.get("return_to")), { replace: true });
        }}
      />
    );
  }
  if (route === "invites/accept") {
    return <InviteAcceptPage token={query.get("token") ?? ""} />;
  }
  if (loadError) {
    return (
      <main class="centered">
        <Notice kind="error">Steward did not answer: {loadError}</Notice>
      </main>
    );
  }
  if (session === undefined) {
    return (
      <main class="centered" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }
  if (session === null) {
    return <RedirectToSignIn />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell
        session={session}
        route={route}
        onSignedOut={() => {
          setSession(null);
          navigate("sign-in", { replace: true });
        }}
      />
    </SessionContext.Provider>
  );
}

/** Only console paths are returned to after signing in. */
function safeReturnTo(value: string | null): string {
  return value?.startsWith("/console/") && !value.startsWith("/console//") ? value : href("");
}

function RedirectToSignIn() {
  useEffect(() => {
    const returnTo = location.pathname + location.search;
    navigate(`sign-in?${new URLSearchParams({ return_to: returnTo })}`, { replace: true });
  }, []);
  return null;
}

interface ShellProps {
  session: Session;
  route: string;
  onSignedOut: () => void;
}

function Shell({ session, route, onSignedOut }: ShellProps) {
  const role = session.user.role;
  const { page, rest } = pageOf(route);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After a navigation, focus moves to the new page's content, as a page load would.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [route]);

  let content: JSX.Element;
  if (!page) {
    content = <NotFoundPage />;
  } else if (!page.roles.includes(role)) {
    content = (
      <Notice kind="error">
        This page is for {page.roles.join(" and ")} members; you are signed in as {role}.
      </Notice>
    );
  } else {
    content = page.render(rest);
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: catches clicks on console links inside to route them without a reload
    // biome-ignore lint/a11y/useKeyWithClickEvents: links already work by keyboard (Enter clicks them)
    <div class="shell" onClick={onLinkClick}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href("")}>
          Steward
        </a>
        <SignedInAs session={session} onSignedOut={onSignedOut} />
      </header>
      <nav class="sidenav" aria-label="Console">
        <ul>
          {PAGES.filter((p) => p.roles.includes(role)).map((p) => (
            <li key={p.route}>
              <a href={href(p.route)} aria-current={page === p ? "page" : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1} class="content">
        {content}
      </main>
    </div>
  );
}

function SignedInAs({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <div class="signed-in">
      <span>
        {session.user.name || session.user.email} <span class="role">{session.user.role}</span>
      </span>
      <Button
        busy={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await signOut();
            onSignedOut();
          } catch (cause) {
            setError(errorMessage(cause));
            setBusy(false);
          }
        }}
      >
        Sign out
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
