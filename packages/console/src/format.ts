/** How the console writes money, dates and counts. */

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** Cost reports give amounts in cents, as decimal strings. */
export function dollarsFromCents(cents: string | number): string {
  return usd.format(Number(cents) / 100);
}

export function dollars(value: number): string {
  return usd.format(value);
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
