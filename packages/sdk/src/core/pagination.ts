import type { StewardAdmin } from "../client.js";
import type { FinalRequestOptions } from "../internal/request-options.js";
import { APIPromise, type APIResponseProps } from "./api-promise.js";
import { StewardError } from "./error.js";

/** One page of a list, which knows how to fetch the next one. */
export abstract class AbstractPage<Item> implements AsyncIterable<Item> {
  // Private (not printed with the page: the client holds the admin key).
  readonly #client: StewardAdmin;
  readonly #request: FinalRequestOptions;
  readonly #response: Response;

  constructor(client: StewardAdmin, response: Response, request: FinalRequestOptions) {
    this.#client = client;
    this.#response = response;
    this.#request = request;
  }

  /** The raw response this page was read from. */
  get response(): Response {
    return this.#response;
  }

  /** The request this page answers. */
  protected get request(): FinalRequestOptions {
    return this.#request;
  }

  /** The items of this page. */
  abstract getPaginatedItems(): Item[];

  /** The request for the next page, or `null` on the last one. */
  abstract nextPageRequest(): FinalRequestOptions | null;

  hasNextPage(): boolean {
    return this.getPaginatedItems().length > 0 && this.nextPageRequest() !== null;
  }

  /** Fetches the next page (with the same request options); throws on the last page. */
  async getNextPage(): Promise<this> {
    const next = this.hasNextPage() ? this.nextPageRequest() : null;
    if (!next) {
      throw new StewardError(
        "No next page expected; please check `.hasNextPage()` before calling `.getNextPage()`.",
      );
    }
    return (await this.#client.requestPage(
      next,
      this.constructor as new (
        client: StewardAdmin,
        props: APIResponseProps,
        body: unknown,
      ) => this,
    )) as this;
  }

  /** This page, then each following page. */
  async *iterPages(): AsyncGenerator<this> {
    let page: this = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  /** Every item from this page on, fetching pages as they are needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item> {
    for await (const page of this.iterPages()) {
      for (const item of page.getPaginatedItems()) {
        yield item;
      }
    }
  }
}

/** Query parameters of cursor lists. */
export interface PageParams {
  /** Page size, 1 to 1000 (default 20). */
  limit?: number | undefined;
  /** The page after this object (forwards). */
  after_id?: string | undefined;
  /** The page before this object (backwards). */
  before_id?: string | undefined;
}

export interface PageResponse<Item> {
  data: Item[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * A cursor page, `{data, has_more, first_id, last_id}`, oldest first. The next page follows
 * `after_id` (from `last_id`); a list started with `before_id` walks backwards instead
 * (`before_id` from `first_id`), each page still oldest first.
 */
export class Page<Item> extends AbstractPage<Item> implements PageResponse<Item> {
  data: Item[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;

  constructor(client: StewardAdmin, props: APIResponseProps, body: unknown) {
    super(client, props.response, props.request);
    const page = (body ?? {}) as Partial<PageResponse<Item>>;
    this.data = page.data ?? [];
    this.has_more = page.has_more ?? false;
    this.first_id = page.first_id ?? null;
    this.last_id = page.last_id ?? null;
  }

  getPaginatedItems(): Item[] {
    return this.data;
  }

  override hasNextPage(): boolean {
    return this.has_more && super.hasNextPage();
  }

  nextPageRequest(): FinalRequestOptions | null {
    const query = { ...(this.request.query as PageParams | undefined) };
    if (query.before_id !== undefined) {
      if (!this.first_id) {
        return null;
      }
      return {
        ...this.request,
        query: { ...query, after_id: undefined, before_id: this.first_id },
      };
    }
    if (!this.last_id) {
      return null;
    }
    return { ...this.request, query: { ...query, after_id: this.last_id } };
  }
}

export interface ReportPageResponse<Bucket> {
  data: Bucket[];
  has_more: boolean;
  next_page: string | null;
}

/**
 * A report page, `{data, has_more, next_page}`: its items are time buckets. The next page is the
 * same query with `page` set to `next_page`.
 */
export class ReportPage<Bucket> extends AbstractPage<Bucket> implements ReportPageResponse<Bucket> {
  data: Bucket[];
  has_more: boolean;
  next_page: string | null;

  constructor(client: StewardAdmin, props: APIResponseProps, body: unknown) {
    super(client, props.response, props.request);
    const page = (body ?? {}) as Partial<ReportPageResponse<Bucket>>;
    this.data = page.data ?? [];
    this.has_more = page.has_more ?? false;
    this.next_page = page.next_page ?? null;
  }

  getPaginatedItems(): Bucket[] {
    return this.data;
  }

  override hasNextPage(): boolean {
    return this.has_more && super.hasNextPage();
  }

  nextPageRequest(): FinalRequestOptions | null {
    if (!this.next_page) {
      return null;
    }
    return {
      ...this.request,
      query: { ...(this.request.query as object | undefined), page: this.next_page },
    };
  }
}

/** Query parameters of lists paged by an opaque cursor. */
export interface CursorPageParams {
  /** Page size, 1 to 1000 (default 20). */
  limit?: number | undefined;
  /** The `next_page` of the previous page. */
  page?: string | undefined;
}

export interface CursorPageResponse<Item> {
  data: Item[];
  next_page: string | null;
}

/**
 * A page of a list paged by an opaque cursor, `{data, next_page}` (Anthropic's `PageCursor`): the
 * next page is the same query with `page` set to `next_page`, until it is null.
 */
export class CursorPage<Item> extends AbstractPage<Item> implements CursorPageResponse<Item> {
  data: Item[];
  next_page: string | null;

  constructor(client: StewardAdmin, props: APIResponseProps, body: unknown) {
    super(client, props.response, props.request);
    const page = (body ?? {}) as Partial<CursorPageResponse<Item>>;
    this.data = page.data ?? [];
    this.next_page = page.next_page ?? null;
  }

  getPaginatedItems(): Item[] {
    return this.data;
  }

  nextPageRequest(): FinalRequestOptions | null {
    if (!this.next_page) {
      return null;
    }
    return {
      ...this.request,
      query: { ...(this.request.query as object | undefined), page: this.next_page },
    };
  }
}

/**
 * What a list method returns: await it for the first page, or iterate it for every item across
 * pages (`for await (const user of admin.users.list())`).
 */
export class PagePromise<Item, PageClass extends AbstractPage<Item> = Page<Item>>
  extends APIPromise<PageClass>
  implements AsyncIterable<Item>
{
  async *[Symbol.asyncIterator](): AsyncGenerator<Item> {
    const page = await this;
    for await (const item of page) {
      yield item;
    }
  }
}

/** A cursor list's promise: await it for one page, iterate it for every item. */
export class CursorPagePromise<Item> extends PagePromise<Item, CursorPage<Item>> {}

/** A report method's promise: await it for one page of buckets, iterate it for every bucket. */
export class ReportPagePromise<Bucket> extends PagePromise<Bucket, ReportPage<Bucket>> {}
