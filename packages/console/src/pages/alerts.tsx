/** Alert rules and their deliveries. A placeholder until h/pages fills it in. */
import { PageHeader } from "../components/page-header.tsx";

export function AlertsPage() {
  return <PageHeader title="Alerts" />;
}
