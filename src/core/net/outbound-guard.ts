import { promises as dns, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, buildConnector } from "undici";

/**
 * The guard on requests Steward sends where a tenant said (alert webhooks, Slack, PagerDuty): by
 * default none reaches a loopback, private, link-local, unique-local, multicast, unspecified or
 * otherwise special address, so that an admin of one organization cannot use Steward to reach
 * the network it runs in (cloud metadata, databases, admin ports). The operator lists the
 * internal receivers that may be reached (`OUTBOUND_ALLOW`).
 *
 * The check that counts is on the address actually connected to: names are resolved in the
 * connection's own lookup, and every address it returns is checked before connecting, so a name
 * cannot resolve to a public address when checked and an internal one when used. Checking a
 * rule's url when it is saved only gives an early, clear answer.
 */

export type Resolver = (hostname: string, family: number) => Promise<LookupAddress[]>;

export interface OutboundPolicyOptions {
  /**
   * Hostnames, addresses and CIDRs that may be reached even though internal (`OUTBOUND_ALLOW`):
   * a hostname exempts that name whatever it resolves to (`*.svc.example`, every name under
   * svc.example); an address or CIDR exempts those addresses however they are named.
   */
  allow?: readonly string[] | undefined;
  /** Resolves a name to every address (tests inject one); `dns.lookup` by default. */
  resolve?: Resolver | undefined;
}

/** A destination the policy refuses; the request was never sent. */
export class RefusedDestinationError extends Error {
  readonly code = "ERR_OUTBOUND_REFUSED";
  constructor(message: string) {
    super(message);
    this.name = "RefusedDestinationError";
  }
}

/** Names that only ever mean something on the local network (RFC 6761, 6762, 8375; ICANN's `.internal`). */
const INTERNAL_SUFFIXES = ["localhost", "localdomain", "local", "internal", "home.arpa"];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;

const defaultResolve: Resolver = (hostname, family) =>
  dns.lookup(hostname, { all: true, family: family === 4 || family === 6 ? family : 0 });

/** `hooks.example.com.` and `HOOKS.example.com` are the same name. */
function normalName(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, "");
}

/** A URL's hostname without the brackets of an IPv6 literal. */
function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

export class OutboundPolicy {
  readonly #names = new Set<string>();
  /** `.svc.example` for `*.svc.example`: every name under it. */
  readonly #suffixes: string[] = [];
  readonly #ranges: Cidr[] = [];
  readonly #resolve: Resolver;

  constructor(options: OutboundPolicyOptions = {}) {
    this.#resolve = options.resolve ?? defaultResolve;
    for (const raw of options.allow ?? []) {
      const entry = raw.trim();
      if (entry === "") {
        continue;
      }
      if (ipaddr.isValidCIDR(entry)) {
        this.#ranges.push(ipaddr.parseCIDR(entry));
      } else if (ipaddr.isValid(bareHost(entry)) && isIP(bareHost(entry)) !== 0) {
        const address = ipaddr.parse(bareHost(entry));
        this.#ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
      } else if (HOSTNAME.test(entry)) {
        this.#names.add(normalName(entry));
      } else if (entry.startsWith("*.") && HOSTNAME.test(entry.slice(2))) {
        this.#suffixes.push(`.${normalName(entry.slice(2))}`);
      } else {
        throw new Error(
          `${JSON.stringify(entry)} is neither a hostname (or *.domain) nor an address or CIDR`,
        );
      }
    }
  }

  /**
   * Why `address` may not be connected to (the kind of address, e.g. `loopback`), or undefined
   * when it may. Only global unicast addresses pass, and those the operator allows; an
   * IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
   */
  addressRefusal(address: string): string | undefined {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.parse(bareHost(address));
    } catch {
      return "invalid";
    }
    if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
      ip = (ip as ipaddr.IPv6).toIPv4Address();
    }
    if (this.#ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) {
      return undefined;
    }
    const range = ip.range();
    if (range !== "unicast") {
      return range;
    }
    // `::a.b.c.d` (deprecated IPv4-compatible) is not global either; ipaddr.js calls it unicast.
    if (ip.kind() === "ipv6" && ip.match(IPV4_COMPATIBLE)) {
      return "ipv4Compatible";
    }
    return undefined;
  }

  /** True when the operator allows this name, whatever it resolves to. */
  nameAllowed(hostname: string): boolean {
    const name = normalName(bareHost(hostname));
    return this.#names.has(name) || this.#suffixes.some((suffix) => name.endsWith(suffix));
  }

  /**
   * Why a url's host is refused before anything is resolved (an internal address written out, or
   * a name that can only be internal), or undefined. The WHATWG parser has already turned
   * `2130706433`, `0x7f.1` and `0177.0.0.1` into `127.0.0.1`.
   */
  urlRefusal(url: string): string | undefined {
    let hostname: string;
    try {
      hostname = new URL(url).hostname;
    } catch {
      return "it is not a valid url";
    }
    const host = bareHost(hostname);
    if (isIP(host) !== 0) {
      const refusal = this.addressRefusal(host);
      return refusal === undefined ? undefined : `${hostname} is ${describeRange(refusal)}`;
    }
    if (this.nameAllowed(host)) {
      return undefined;
    }
    const name = normalName(host);
    if (INTERNAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))) {
      return `${hostname} is a local name`;
    }
    if (!name.includes(".")) {
      // Resolved through the local search domains, to a host on the local network.
      return `${hostname} is a local name (it has no dot)`;
    }
    return undefined;
  }

  /**
   * `net.connect`'s `lookup`: resolves the name and hands on its addresses only when every one of
   * them may be reached (or the name is allowed). The socket then connects to one of exactly
   * these addresses.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const family =
      options.family === 4 || options.family === "IPv4"
        ? 4
        : options.family === 6 || options.family === "IPv6"
          ? 6
          : 0;
    this.#resolve(hostname, family).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(
            Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }),
            "",
          );
          return;
        }
        if (!this.nameAllowed(hostname)) {
          for (const { address } of addresses) {
            const refusal = this.addressRefusal(address);
            if (refusal !== undefined) {
              callback(
                new RefusedDestinationError(`${hostname} resolves to ${describeRange(refusal)}`),
                "",
              );
              return;
            }
          }
        }
        if (options.all) {
          callback(null, addresses);
        } else {
          const [first] = addresses as [LookupAddress];
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ""),
    );
  };

  /**
   * An undici dispatcher whose every new connection passes this policy: an address written in
   * the url is checked here (Node does not call `lookup` for one), a name in `lookup`.
   */
  dispatcher(options: { timeoutMs: number }): Agent {
    const connect = buildConnector({ timeout: options.timeoutMs, lookup: this.lookup });
    return new Agent({
      connect: (opts, callback) => {
        if (isIP(opts.hostname) !== 0) {
          const refusal = this.addressRefusal(opts.hostname);
          if (refusal !== undefined) {
            callback(
              new RefusedDestinationError(`${opts.hostname} is ${describeRange(refusal)}`),
              null,
            );
            return;
          }
        }
        connect(opts, callback);
      },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }
}

const RANGE_NAMES: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address",
  private: "a private address",
  uniqueLocal: "a unique-local address",
  ipv4Mapped: "an IPv4-mapped address",
};

function describeRange(range: string): string {
  return Object.hasOwn(RANGE_NAMES, range)
    ? (RANGE_NAMES[range] as string)
    : `a special-purpose address (${range})`;
}
