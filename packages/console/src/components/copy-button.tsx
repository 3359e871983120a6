import { useState } from "preact/hooks";

export interface CopyButtonProps {
  value: string;
  /** What is copied, for the button's accessible name: "Copy API key". */
  label: string;
}

/** Copies a value to the clipboard and says so (politely, to screen readers too). */
export function CopyButton({ value, label }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <span class="copy">
      <button type="button" class="button secondary" onClick={copy}>
        {label}
      </button>
      <span role="status" class="copy-status">
        {state === "copied"
          ? "Copied"
          : state === "failed"
            ? "Copy failed: select and copy it"
            : ""}
      </span>
    </span>
  );
}
