/** Limits and the month's spend run per UTC calendar month. */
export const monthOf = (date: Date): string => date.toISOString().slice(0, 7);

/** The first instant of the date's UTC month, as stored timestamps are written. */
export const monthStartOf = (date: Date): string => `${monthOf(date)}-01T00:00:00.000Z`;

/** The first instant of the next UTC month. */
export const nextMonthStartOf = (date: Date): string =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)).toISOString();
