/** How the console writes money (@steward/sdk's formatUsd, as the CLI), dates and counts. */
import { formatUsd } from "@steward/sdk";

/** Cost reports give amounts in cents, as decimal strings. */
export function dollarsFromCents(cents: string | number): string {
  return formatUsd(Number(cents) / 100);
}

export function dateTime(value: string | null | undefined): string {
  if (!value) {
    return "never";
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function count(value: number): string {
  return value.toLocaleString();
}
