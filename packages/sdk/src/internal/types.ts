/** Helpers that pick a generated operation's parts: `QueryOf<operations["listUsers"]>`. */

type OptionalKeys<T> = {
  // biome-ignore lint/complexity/noBannedTypes: `{}` is the empty object type this test needs
  [K in keyof T]-?: {} extends Pick<T, K> ? K : never;
}[keyof T];

/**
 * The same object type whose optional properties also take `undefined`, so that callers with
 * `exactOptionalPropertyTypes` can pass `{ limit: flags.limit }` (an `undefined` is left out of
 * the query and the JSON body alike).
 */
export type Loosen<T> = T extends object
  ? {
      [K in keyof T as K extends OptionalKeys<T> ? never : K]: T[K];
    } & {
      [K in keyof T as K extends OptionalKeys<T> ? K : never]?: T[K] | undefined;
    } extends infer U
    ? { [K in keyof U]: U[K] }
    : never
  : T;

/**
 * A query flag the server reads from text (`"true"`, `"1"`, …) also takes a boolean, which is
 * written as `true`/`false`: `workspaces.list({ include_archived: true })`.
 */
type QueryValue<V> = [Extract<V, "true" | "false">] extends [never] ? V : V | boolean;

export type QueryOf<O> = O extends { parameters: { query?: infer Q } }
  ? Loosen<{ [K in keyof NonNullable<Q>]: QueryValue<NonNullable<Q>[K]> }>
  : never;

export type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } }
  ? Loosen<B>
  : never;

export type ResponseOf<O> = O extends {
  responses: { 200: { content: { "application/json": infer R } } };
}
  ? R
  : never;

/** The item type of a list response (`{data: T[]}`). */
export type ItemOf<R> = R extends { data: (infer T)[] } ? T : never;
