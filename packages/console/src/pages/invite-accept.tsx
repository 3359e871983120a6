/**
 * The page an invitation links to: the invited person gives their name and accepts; then they
 * sign in (with their identity provider or an email link).
 */
import { useState } from "preact/hooks";
import { admin } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Field } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { useSubmit, useTitle } from "../hooks.ts";
import { href } from "../router.ts";

export function InviteAcceptPage({ token }: { token: string }) {
  useTitle("Accept your invitation");
  const [name, setName] = useState("");
  const { busy, error, run } = useSubmit();
  const [accepted, setAccepted] = useState<{ email: string }>();
  return (
    <main class="centered">
      <h1>Accept your invitation</h1>
      {!token && (
        <Notice kind="error">
          This link has no invitation token. Open the link from your invitation email again.
        </Notice>
      )}
      {token && !accepted && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            run(async () => {
              const user = await admin.invites.accept({
                token,
                ...(name.trim() && { name: name.trim() }),
              });
              setAccepted({ email: user.email });
            });
          }}
        >
          <p>You have been invited to your organization's Steward.</p>
          <Field
            label="Your name"
            autocomplete="name"
            maxLength={200}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
          {error && <Notice kind="error">{error}</Notice>}
          <Button type="submit" variant="primary" busy={busy}>
            Accept invitation
          </Button>
        </form>
      )}
      {accepted && (
        <>
          <Notice kind="success">Welcome: {accepted.email} is now a member.</Notice>
          <p>
            <a href={href("sign-in")}>Sign in to Steward</a>
          </p>
        </>
      )}
    </main>
  );
}
