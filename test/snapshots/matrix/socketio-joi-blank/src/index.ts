import type { ExtendedError, Socket } from "socket.io";
import { parseSettings, type CheckSocketioJoiBlankSettings } from "./options.js";

export type { CheckSocketioJoiBlankResolvedSettings, CheckSocketioJoiBlankSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/** The options of `checkSocketioJoiBlank()`. */
export type CheckSocketioJoiBlankOptions = CheckSocketioJoiBlankSettings;

/** A Socket.IO middleware, for `io.use()` and `io.of(namespace).use()`. */
export type CheckSocketioJoiBlankMiddleware = (socket: Socket, next: (err?: ExtendedError) => void) => void;

const optionNames: readonly string[] = ["enabled"];

const misuse =
  "check-socketio-joi-blank: checkSocketioJoiBlank was given a socket: it is a factory, write io.use(checkSocketioJoiBlank()) instead of io.use(checkSocketioJoiBlank)";
const misuseCode = "CHECK_SOCKETIO_JOI_BLANK_MISUSE";

function looksLikeSocket(value: unknown): boolean {
  return typeof value === "object" && value !== null && "handshake" in value && "nsp" in value;
}

let warnedMisuse = false;

/**
 * `io.use(checkSocketioJoiBlank)` makes Socket.IO call the factory with (socket, next). An error thrown there would be
 * swallowed and the connection dropped silently, so refuse it through `next`: the client's connect_error
 * then says what to fix. Returns true when the factory was misused.
 */
function refusedMisuse(options: unknown, next: unknown): boolean {
  if (!looksLikeSocket(options) && typeof next !== "function") return false;
  const error = new TypeError(misuse);
  if (typeof next !== "function") throw error;
  if (!warnedMisuse) {
    warnedMisuse = true;
    process.emitWarning(misuse, { code: misuseCode });
  }
  (next as (err: Error) => void)(error);
  return true;
}

/**
 * Creates the middleware: `io.use(checkSocketioJoiBlank())`. It runs once per connection to a namespace. Options are
 * validated here, once, never per connection.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkSocketioJoiBlank(options?: CheckSocketioJoiBlankOptions): CheckSocketioJoiBlankMiddleware {
  if (refusedMisuse(options, arguments[1])) return () => {};
  const settings = parseSettings(options, optionNames);

  // `_socket` is the connecting socket: drop the underscore when your code uses it.
  return function checkSocketioJoiBlankMiddleware(_socket, next) {
    if (!settings.enabled) {
      next();
      return;
    }
    // Your code here. `_socket.handshake` holds what the client sent (`auth`, `headers`, `query`, `address`);
    // keep what later handlers need on `_socket.data`. Call `next()` to accept the connection, or
    // `next(err)` to refuse it: the client's connect_error receives `err.message` and `err.data`. Call
    // exactly one of them, also when async work fails, or the connection waits forever.
    next();
  };
}

export default checkSocketioJoiBlank;
