/** Usage and cost over a chosen range. A placeholder until h/pages fills it in. */
import { PageHeader } from "../components/page-header.tsx";

export function UsagePage() {
  return <PageHeader title="Usage and cost" />;
}
