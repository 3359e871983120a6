/** Small helpers the pages of h/pages share: whole lists, dates in the API's forms, downloads. */
import { useId } from "preact/hooks";

/** A UTC day as `YYYY-MM-DD`, `offsetDays` from today. */
export function utcDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The start of a `YYYY-MM-DD` day (UTC) as RFC 3339. */
export function startOfDay(day: string): string {
  return `${day}T00:00:00Z`;
}

/** The end of a `YYYY-MM-DD` day (UTC), exclusive: the start of the next day. */
export function endOfDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
}

/** Saves text as a file through the browser's download (a blob: URL, revoked once clicked). */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Numbers typed by a person: "" is none (null); otherwise a finite number, or an error. */
export function parseOptionalNumber(text: string, what: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") {
    return null;
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${what} must be a number of 0 or more, or empty for none`);
  }
  return value;
}

/** A checkbox with its label beside it, and a hint read with it. */
export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div class="field">
      <div class="check">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
      </div>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
