import { AsyncResource } from "node:async_hooks";

/**
 * Keeps alive the hidden classes (V8 maps) of the objects that `process.nextTick` queues, so that
 * Node's stream code stays on V8's fast path for them for the process's whole life. main.ts
 * imports this module first, so it runs before anything else of Steward's.
 *
 * nextTick builds each tick with a literal whose first keys are computed:
 * `{ [async_id_symbol]: id, [trigger_async_id_symbol]: id, callback, args }`. V8 records, for each
 * store after the first, the one map it has seen, and holds that map weakly. When a full garbage
 * collection finds no tick queued and no other object of that shape, the maps die; the next tick
 * gets fresh ones, and V8 turns those stores megamorphic for good (this kind of site has no
 * polymorphic state). TurboFan then compiles every nextTick it inlines (the streams' `onwrite`,
 * `endReadable`, `maybeReadMore`, `destroy`) with a call into V8's runtime per tick. Whether that
 * happens depended on where the first full collection fell during startup: in most of the
 * gateway's benchmark runs it did (`perf` shows `Runtime_DefineKeyedOwnPropertyInLiteral`); the
 * bare proxy, which allocates little at startup, kept its maps.
 * Trick: saves the serving thread a runtime call per tick (bench/README.md#gateway-tricks).
 *
 * One live object with the same keys, in the same order and with the same kinds of values,
 * shares those maps and keeps them. The ids are stored as non-integers because Node's ids are
 * doubles (read from a Float64Array): a field made for small integers would be widened on the
 * first real tick, which gives the ticks a new map again.
 */
const resource = new AsyncResource("steward:tick-shape");
const symbols = new Map(
  Object.getOwnPropertySymbols(resource).map((symbol) => [symbol.description, symbol]),
);
const asyncId = symbols.get("async_id_symbol");
const triggerAsyncId = symbols.get("trigger_async_id_symbol");
resource.emitDestroy();

/** The object that holds the maps; undefined on a Node whose async resources name ids otherwise. */
export const tickShape: object | undefined =
  asyncId !== undefined && triggerAsyncId !== undefined
    ? {
        [asyncId]: 0.5,
        [triggerAsyncId]: 0.5,
        callback: () => {},
        args: undefined,
      }
    : undefined;
