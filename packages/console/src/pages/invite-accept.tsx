import { PageHeader } from "../components/page-header.tsx";

export function InviteAcceptPage({ token }: { token: string }) {
  return (
    <main class="centered">
      <PageHeader title="Accept your invitation" />
      <p>{token ? "" : "This link has no invitation token."}</p>
    </main>
  );
}
