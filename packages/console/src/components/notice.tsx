import type { ComponentChildren } from "preact";

export interface NoticeProps {
  kind?: "info" | "success" | "error";
  children?: ComponentChildren;
}

/**
 * A message announced by screen readers when it appears: errors interrupt (`role="alert"`),
 * the rest wait their turn (`role="status"`).
 */
export function Notice({ kind = "info", children }: NoticeProps) {
  return (
    <div class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
