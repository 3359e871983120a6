import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrate } from "../src/db/connect.js";
import { createTestDatabase, describeEachBackend, type TestDatabase } from "./harness.js";

describeEachBackend("migrations", (backend) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(backend); // already migrated once
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("should change nothing when run again", async () => {
    expect(await migrate(testDb.database)).toEqual([]);
    expect(await migrate(testDb.database)).toEqual([]);
  });

  it.runIf(backend.name === "postgres")(
    "should compare ids in byte order whatever the database's locale",
    async () => {
      const { rows } = await sql<{
        table_name: string;
        column_name: string;
        collation_name: string | null;
      }>`
        select table_name, column_name, collation_name
        from information_schema.columns
        where table_schema = current_schema()
          and (column_name = 'id' or column_name like '%\\_id' escape '\\')
          and column_name <> 'request_id'
          and table_name not like 'kysely\\_%' escape '\\'
      `.execute(testDb.database.db);
      expect(rows.length).toBeGreaterThan(10);
      for (const row of rows) {
        expect(row.collation_name, `${row.table_name}.${row.column_name}`).toBe("C");
      }
    },
  );
});
