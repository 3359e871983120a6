import type { JSX } from "preact";

export interface ButtonProps extends JSX.ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: "primary" | "secondary" | "danger";
  /** Shows the button as busy and disabled while an action runs. */
  busy?: boolean | undefined;
}

/** A button; `type="button"` unless it submits a form. */
export function Button({ variant = "secondary", busy = false, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? "button"}
      class={`button ${variant}`}
      {...rest}
      disabled={busy || rest.disabled}
      aria-busy={busy || undefined}
    />
  );
}
