import { operatorContext, type RequestContext } from "../../src/core/context.js";
import { ManualClock } from "../../src/core/ports.js";
import { createServices, type Services } from "../../src/core/services.js";
import { Store } from "../../src/db/store.js";
import { type Backend, createTestDatabase } from "../harness.js";

/**
 * The services alone, called as core's callers call them, with no HTTP in between: over a fresh
 * database (on SQLite a copy of the run's migrated template, so as cheap as the storage gets: the
 * SQLite adapter needs a file) and a ManualClock the test moves.
 */
export interface ServiceFixture {
  services: Services;
  clock: ManualClock;
  /** An organization's operator context: what the CLI's operator commands act as. */
  ctx: RequestContext;
  close(): Promise<void>;
}

export async function createServiceFixture(
  backend: Backend,
  start = "2026-01-01T00:00:00.000Z",
): Promise<ServiceFixture> {
  const testDb = await createTestDatabase(backend);
  const clock = new ManualClock(start);
  const services = createServices(new Store(testDb.database), { clock });
  const org = await services.organizations.create(
    { name: "Service Org", ownerEmail: "owner@service.example", ownerName: "Owner" },
    { type: "system", id: null },
  );
  return {
    services,
    clock,
    ctx: operatorContext(org.organization.id),
    close: () => testDb.drop(),
  };
}
