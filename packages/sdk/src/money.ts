/** How Steward writes dollar amounts for people: the console, the CLI and alert messages. */

const cents = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
/** Two significant digits: enough to tell a fraction of a cent from nothing. */
const fraction = new Intl.NumberFormat("en-US", {
  minimumSignificantDigits: 2,
  maximumSignificantDigits: 2,
});

/**
 * `$1,234.56`. A non-zero amount under a cent keeps two significant digits (`$0.0042`,
 * `$0.0000031`): a small spend must never read as `$0.00`, which only exactly zero is.
 *
 * @example
 * ```ts
 * formatUsd(1234.567); // "$1,234.57"
 * formatUsd(0.0042); // "$0.0042"
 * ```
 */
export function formatUsd(usd: number): string {
  const size = Math.abs(usd);
  const digits = size !== 0 && size < 0.01 ? fraction.format(size) : cents.format(size);
  return `${usd < 0 ? "-" : ""}$${digits}`;
}
