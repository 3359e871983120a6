/**
 * What core logs through: the fields, then the message, as pino takes them. The composition root
 * (src/runtime.ts) gives its pino logger; core never writes to the terminal itself.
 */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** For services built without a root (a test's own wiring): there is nowhere to log to. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
};
