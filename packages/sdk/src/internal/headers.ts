export type HeadersLike = Record<string, string | null | undefined>;

/**
 * Merges header sets left to right, case-insensitively; a later `null` removes a header.
 */
export function buildHeaders(...sets: (HeadersLike | undefined)[]): Headers {
  const headers = new Headers();
  for (const set of sets) {
    if (!set) {
      continue;
    }
    for (const [name, value] of Object.entries(set)) {
      if (value === null) {
        headers.delete(name);
      } else if (value !== undefined) {
        headers.set(name, value);
      }
    }
  }
  return headers;
}
