/**
 * Query strings as the Anthropic SDK writes them: `roles[]=a&roles[]=b` arrives as
 * `{ roles: ["a", "b"] }`, a repeated plain key as an array, a single one as a string.
 */
export function parseQueryString(query: string): Record<string, string | string[]> {
  const values = new Map<string, string | string[]>();
  for (const [rawKey, value] of new URLSearchParams(query)) {
    const isArray = rawKey.endsWith("[]");
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    const previous = values.get(key);
    if (previous === undefined) {
      values.set(key, isArray ? [value] : value);
    } else {
      values.set(key, Array.isArray(previous) ? [...previous, value] : [previous, value]);
    }
  }
  // fromEntries defines own properties, so a `__proto__` key cannot reach the prototype.
  return Object.fromEntries(values);
}
