/** Dollar amounts are stored as integer micro-USD so that sums and comparisons are exact. */
export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);
export const microsToUsd = (micros: number): number => micros / 1_000_000;
