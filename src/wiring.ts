/**
 * The services half of the composition root: the store and every service over one database, with
 * the ports the background jobs and the gateway share with them. It starts nothing and loads no
 * HTTP or gateway code, so the operator CLI wires itself with it alone; src/runtime.ts builds the
 * server on it.
 */
import { AuditAnchorer, type AuditAnchorerOptions } from "./core/audit-log/audit-anchorer.js";
import { TimeSortableIds } from "./core/ids.js";
import { type Logger, silentLogger } from "./core/logger.js";
import { type Clock, type IdSource, systemClock } from "./core/ports.js";
import {
  createServices,
  DEFAULT_USAGE_RETENTION,
  type ServiceOptions,
  type Services,
} from "./core/services.js";
import { UsageRetention } from "./core/usage/usage-retention.js";
import type { Database } from "./db/connect.js";
import { Store } from "./db/store.js";

/** The store and every service over one database: what the server and the operator CLI share. */
export interface Wiring {
  services: Services;
  /** Audit anchors over this database (the server's job, and `steward audit anchor`). */
  auditAnchorer(options: AuditAnchorerOptions): AuditAnchorer;
  /** Raw usage past its retention is deleted by this. */
  usageRetention: UsageRetention;
  /** The ports the jobs and the gateway share with the services. */
  store: Store;
  clock: Clock;
  ids: IdSource;
}

export interface WireOptions {
  clock?: Clock;
  logger?: Logger;
  services?: Omit<ServiceOptions, "clock" | "ids" | "logger">;
}

/** Wires, starts nothing: the services over `database`, and the ports the jobs need. */
export function wire(database: Database, options: WireOptions = {}): Wiring {
  const clock = options.clock ?? systemClock;
  const ids = new TimeSortableIds(clock);
  const store = new Store(database);
  const services = createServices(store, {
    ...options.services,
    clock,
    ids,
    logger: options.logger ?? silentLogger,
  });
  const retention = options.services?.retention ?? DEFAULT_USAGE_RETENTION;
  return {
    services,
    auditAnchorer: (anchorOptions) => new AuditAnchorer(store.read, clock, anchorOptions),
    usageRetention: new UsageRetention(store, clock, retention),
    store,
    clock,
    ids,
  };
}
