/** Workspaces: limits, members, keys, archive. A placeholder until h/pages fills it in. */
import { PageHeader } from "../components/page-header.tsx";

export function WorkspacesPage() {
  return <PageHeader title="Workspaces" />;
}

export function WorkspacePage({ id }: { id: string }) {
  return <PageHeader title={`Workspace ${id}`} />;
}
