/**
 * Sign-in: OpenID Connect when configured, a link by email when SMTP is, and always an admin
 * key (held by an owner or admin) for bootstrapping.
 */
import { useState } from "preact/hooks";
import {
  type AuthMethods,
  loadAuthMethods,
  oidcStartUrl,
  requestEmailLink,
  type Session,
  signInWithAdminKey,
} from "../api.ts";
import { Button } from "../components/button.tsx";
import { Field } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { useLoad, useSubmit, useTitle } from "../hooks.ts";
import { href } from "../router.ts";

/** What the callback's `?error=` codes mean, for a person. */
const ERRORS: Record<string, string> = {
  oidc_failed: "Signing in with your identity provider failed. Try again.",
  email_not_verified: "Your identity provider has not verified your email address.",
  not_a_member: "That account is not a member of this organization. Ask an admin for an invite.",
  mfa_required: "This organization requires multi-factor authentication: sign in with it enabled.",
  link_invalid: "That sign-in link is invalid, used or expired. Ask for a new one.",
};

export interface SignInPageProps {
  error: string | null;
  onSignedIn: (session: Session) => void;
}

export function SignInPage({ error, onSignedIn }: SignInPageProps) {
  useTitle("Sign in");
  const methods = useLoad(loadAuthMethods);
  const returnTo = new URLSearchParams(location.search).get("return_to") ?? href("");
  return (
    <main class="centered sign-in">
      <h1>Sign in to Steward</h1>
      {error && <Notice kind="error">{ERRORS[error] ?? `Sign-in failed (${error}).`}</Notice>}
      {methods.data && <Methods methods={methods.data} returnTo={returnTo} />}
      <AdminKeyForm onSignedIn={onSignedIn} />
    </main>
  );
}

function Methods({ methods, returnTo }: { methods: AuthMethods; returnTo: string }) {
  return (
    <>
      {methods.oidc.enabled && (
        <section class="card">
          <h2>Single sign-on</h2>
          <a class="button primary" href={oidcStartUrl(returnTo)}>
            Sign in with {methods.oidc.label ?? "your identity provider"}
          </a>
        </section>
      )}
      {methods.email_link && <EmailLinkForm returnTo={returnTo} />}
    </>
  );
}

function EmailLinkForm({ returnTo }: { returnTo: string }) {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useSubmit();
  return (
    <section class="card">
      <h2>Sign in with a link by email</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setSent(false);
          run(async () => {
            await requestEmailLink(email.trim(), returnTo);
            setSent(true);
          });
        }}
      >
        <Field
          label="Email"
          type="email"
          autocomplete="email"
          required
          value={email}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Email me a sign-in link
        </Button>
      </form>
      {sent && (
        <Notice kind="success">
          If that address belongs to a member, a sign-in link is on its way. It works once, for 15
          minutes.
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
    </section>
  );
}

function AdminKeyForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState("");
  const { busy, error, run } = useSubmit();
  return (
    <section class="card">
      <h2>Sign in with an admin key</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          run(async () => onSignedIn(await signInWithAdminKey(key.trim())));
        }}
      >
        <Field
          label="Admin key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={key}
          hint="An admin key held by an owner or admin (sk-ant-admin01-…)."
          error={error}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
    </section>
  );
}
