/** The audit log. A placeholder until h/pages fills it in. */
import { PageHeader } from "../components/page-header.tsx";

export function AuditPage() {
  return <PageHeader title="Audit log" />;
}
