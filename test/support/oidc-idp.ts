/**
 * An OpenID Connect provider for tests (oidc-provider), on 127.0.0.1 and a free port, with one
 * confidential client and accounts of the test's choosing. Its login needs no form: each login
 * signs in the account last chosen with `idp.signInAs(...)`, with the `amr` given there, so the
 * whole flow completes by following redirects, with fetch or in a browser. Consent is granted for
 * the client at once (a first-party client).
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

export interface IdpAccount {
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface TestIdp {
  /** `http://127.0.0.1:<port>`: the issuer, for OIDC_ISSUER. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or replaces an account; its id is returned. */
  addAccount(account: IdpAccount): string;
  /** The account the next logins sign in as, and the authentication methods they report. */
  signInAs(accountId: string, amr?: string[]): void;
  close(): Promise<void>;
}

export async function startTestIdp(options: { redirectUris: string[] }): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>();
  let next: { accountId: string; amr: string[] } | undefined;
  const clientId = "steward-console";
  const clientSecret = "steward-console-test-secret-0123456789abcdef";
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test", alg: "RS256", use: "sig" };

  let handle: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["steward-test-idp-cookie-key"] },
    claims: {
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
      // In the ID token at every sign-in, as Okta, Entra ID and Keycloak send it.
      openid: ["sub", "amr"],
      email: ["email", "email_verified"],
      profile: ["name"],
    },
    // Scope claims in the ID token itself, as Okta, Entra ID, Google and Keycloak put them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
        `/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
      const account = accounts.get(sub);
      return account === undefined
        ? undefined
        : { accountId: sub, claims: () => ({ sub, name: account.email, ...account }) };
    },
    // A first-party client: every scope it asks for is granted without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const clientIdOf = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (clientIdOf === undefined || accountId === undefined) {
        return undefined;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: clientIdOf, accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  handle = (req, res) => {
    if (req.url?.startsWith("/interaction/") === true) {
      const chosen = next;
      if (chosen === undefined) {
        res.writeHead(400).end("the test chose no account (idp.signInAs)");
        return;
      }
      provider
        .interactionFinished(
          req,
          res,
          { login: { accountId: chosen.accountId, amr: chosen.amr } },
          { mergeWithLastSubmission: false },
        )
        .catch((error: unknown) => res.writeHead(500).end(String(error)));
      return;
    }
    callback(req, res);
  };

  let counter = 0;
  return {
    issuer,
    clientId,
    clientSecret,
    addAccount: (account) => {
      const id = `account-${++counter}`;
      accounts.set(id, account);
      return id;
    },
    signInAs: (accountId, amr = ["pwd"]) => {
      next = { accountId, amr };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
