import type { ComponentChildren } from "preact";
import { useTitle } from "../hooks.ts";

/** A page's heading (also the document's title) and what goes beside it. */
export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  useTitle(title);
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children}
    </div>
  );
}
