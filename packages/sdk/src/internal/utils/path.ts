/**
 * Fills an OpenAPI path template (`/v1/organizations/users/{user_id}`) with its parameters, each
 * percent-encoded, so that an id can never change the path (`../`, `?`, `#`).
 */
export function buildPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== "string" || value === "") {
      throw new TypeError(`${name} must be a non-empty string`);
    }
    return encodeURIComponent(value);
  });
}
