import type { StewardAdmin } from "../client.js";

/** The base of every resource class: it holds the client its methods send requests through. */
export class APIResource {
  protected readonly _client: StewardAdmin;

  constructor(client: StewardAdmin) {
    this._client = client;
  }
}
