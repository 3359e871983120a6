import type { ComponentChildren, JSX } from "preact";
import { useId } from "preact/hooks";

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "id" | "label">;

export interface FieldProps extends InputProps {
  label: string;
  /** A sentence under the field, read with it by screen readers. */
  hint?: string | undefined;
  /** What is wrong with the value; marks the field invalid. */
  error?: string | undefined;
}

/** A labelled input with its hint and error tied to it (`aria-describedby`). */
export function Field({ label, hint, error, ...input }: FieldProps) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export interface SelectProps
  extends Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, "id" | "label"> {
  label: string;
  options: { value: string; label: string }[];
  children?: ComponentChildren;
}

/** A labelled select. */
export function Select({ label, options, ...select }: SelectProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
