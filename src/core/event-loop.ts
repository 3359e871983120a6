/**
 * Resolves after the event loop has run once more: long work cut into slices awaits it between
 * them, so that requests, timers and the database threads' answers waiting on this thread are
 * served in between.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
