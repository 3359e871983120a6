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

export type QueryOf<O> = O extends { parameters: { query?: infer Q } }
  ? Loosen<NonNullable<Q>>
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
