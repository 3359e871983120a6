import type { paths } from "../../packages/sdk/src/generated/api.js";

/**
 * The Admin API's request and response types by method and URL, from the contract (the SDK's
 * types, generated from the server's OpenAPI document): `get("/v1/users/user_1")` answers a
 * `User`. A URL matches the path templates it fits (`{user_id}` stands for any text), and of
 * those the most specific (`/v1/users/invite` over `/v1/users/{user_id}`). A URL outside the
 * contract (the Claude API, deliberate 404s) answers `unknown`.
 */
export type ApiMethod = "get" | "post" | "patch" | "delete";

type Path = keyof paths & string;

/** `/v1/users/{user_id}` as the type of the URLs it matches: `/v1/users/${string}`. */
type UrlOf<P extends string> = P extends `${infer Head}{${string}}${infer Tail}`
  ? `${Head}${string}${UrlOf<Tail>}`
  : P;

type Operation<P extends Path, M extends ApiMethod> = NonNullable<paths[P][M]>;

type PathsWith<M extends ApiMethod> = {
  [P in Path]: [Operation<P, M>] extends [never] ? never : P;
}[Path];

type Matching<M extends ApiMethod, U extends string> = {
  [P in PathsWith<M>]: U extends UrlOf<P> | `${UrlOf<P>}?${string}` ? P : never;
}[PathsWith<M>];

/** The paths among `Others` whose URLs do not include all of P's. */
type Wider<P extends string, Others extends string> = Others extends string
  ? UrlOf<P> extends UrlOf<Others>
    ? never
    : Others
  : never;

type MostSpecific<Ps extends string> = {
  [P in Ps]: [Wider<P, Exclude<Ps, P>>] extends [never] ? P : never;
}[Ps];

/** The contract's path that `url` (each of them, for a union) is a request to, or never. */
export type PathOf<M extends ApiMethod, U extends string> = U extends string
  ? MostSpecific<Matching<M, U>>
  : never;

type SuccessBody<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 202
        ? R[S] extends { content: { "application/json": infer B } }
          ? B
          : undefined
        : S extends 204
          ? undefined
          : never;
    }[keyof R]
  : never;

type RequestBody<O> = O extends { requestBody?: { content: { "application/json": infer B } } }
  ? B
  : never;

type Answers<M extends string, U extends string> = M extends string
  ? Lowercase<M> extends ApiMethod
    ? PathOf<Lowercase<M>, U> extends infer P extends Path
      ? SuccessBody<Operation<P, Lowercase<M>>>
      : never
    : never
  : never;

type Takes<M extends string, U extends string> = M extends string
  ? Lowercase<M> extends ApiMethod
    ? PathOf<Lowercase<M>, U> extends infer P extends Path
      ? RequestBody<Operation<P, Lowercase<M>>>
      : never
    : never
  : never;

/**
 * What a successful answer to `method url` holds (method in any case; unions of either give the
 * union of their answers); `unknown` outside the contract.
 */
export type ResponseBody<M extends string, U extends string> = [Answers<M, U>] extends [never]
  ? unknown
  : Answers<M, U>;

/** What `method url` takes as its JSON body; `unknown` outside the contract. */
export type RequestBodyOf<M extends string, U extends string> = [Takes<M, U>] extends [never]
  ? unknown
  : Takes<M, U>;
