/**
 * Query strings as the Anthropic SDK writes them: `roles[]=a&roles[]=b` arrives as
 * `{ roles: ["a", "b"] }`, a repeated plain key as an array, a single one as a string.
 *
 * A plain key with an empty value means the parameter is absent: the SDK writes a `null`
 * parameter (`apiKeys.list({ status: null, roles: null })`) as `status=&roles=`, so every route's
 * schema sees it as left out rather than as invalid. An empty entry of an array (`ids[]=`) is the
 * SDK's `[""]` and is kept: the analytics filters give it a meaning (usage without a key).
 */
export function parseQueryString(query: string): Record<string, string | string[]> {
  const values = new Map<string, string | string[]>();
  for (const [rawKey, value] of new URLSearchParams(query)) {
    const isArray = rawKey.endsWith("[]");
    if (value === "" && !isArray) {
      continue;
    }
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
