/** How the console writes money, dates and counts. */

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
/** Two significant digits: enough to tell a fraction of a cent from nothing. */
const subCent = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumSignificantDigits: 2,
  maximumSignificantDigits: 2,
});

/** Cost reports give amounts in cents, as decimal strings. */
export function dollarsFromCents(cents: string | number): string {
  return dollars(Number(cents) / 100);
}

/**
 * `$1,234.56`; a non-zero amount under a cent keeps two significant digits (`$0.0042`), as
 * `formatUsd` in src/core/money.ts does for the CLI and alert messages: only zero reads `$0.00`.
 */
export function dollars(value: number): string {
  return value !== 0 && Math.abs(value) < 0.01 ? subCent.format(value) : usd.format(value);
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
