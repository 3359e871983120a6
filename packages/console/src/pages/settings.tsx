/** The organization's settings and admin keys. A placeholder until h/pages fills it in. */
import { PageHeader } from "../components/page-header.tsx";

export function SettingsPage() {
  return <PageHeader title="Settings" />;
}
