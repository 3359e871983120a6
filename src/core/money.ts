/** Dollar amounts are stored as integer micro-USD so that sums and comparisons are exact. */
export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);
export const microsToUsd = (micros: number): number => micros / 1_000_000;

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
 * `$1,234.56` for people (CLI tables, alert messages). A non-zero amount under a cent keeps two
 * significant digits (`$0.0042`, `$0.0000031`): a small spend must never read as `$0.00`, which
 * only exactly zero is.
 */
export function formatUsd(usd: number): string {
  const size = Math.abs(usd);
  const digits = size !== 0 && size < 0.01 ? fraction.format(size) : cents.format(size);
  return `${usd < 0 ? "-" : ""}$${digits}`;
}
