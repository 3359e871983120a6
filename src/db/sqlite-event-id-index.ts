/** The usage events' id index on SQLite, as the code outside the writer's thread needs it. */
export { DROP_EMPTIED_RUNS_SQL, type EventIdIndexOptions } from "./sqlite/event-id-index.js";
