import { PageHeader } from "../components/page-header.tsx";
import { href } from "../router.ts";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no such page in the console. <a href={href("")}>Go to the overview</a>.
      </p>
    </>
  );
}
