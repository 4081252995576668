import type { ExtendedError, Socket } from "socket.io";
import { invalidOption, parseSettings, type CheckSocketioTypeboxRateLimitSettings } from "./options.js";
import { MemoryStore, type CheckSocketioTypeboxRateLimitHit, type CheckSocketioTypeboxRateLimitStore } from "./store.js";

export type { CheckSocketioTypeboxRateLimitResolvedSettings, CheckSocketioTypeboxRateLimitSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";
// The settings as JSON Schema, for documenting or validating a configuration file.
export { settingsSchema } from "./options.js";
export { MemoryStore, type CheckSocketioTypeboxRateLimitHit, type CheckSocketioTypeboxRateLimitStore } from "./store.js";

/** Why a connection was refused. */
export type CheckSocketioTypeboxRateLimitErrorCode =
  /** The key used up its window's connections. */
  | "RATE_LIMITED"
  /** The store failed, so the connection could not be counted. */
  | "STORE_FAILED";

/** The `data` of a refusal, sent to the client with the `connect_error` event. */
export interface CheckSocketioTypeboxRateLimitErrorData {
  code: CheckSocketioTypeboxRateLimitErrorCode;
  /** Seconds until the client may retry: until the window ends, or a few seconds after a store failure. */
  retryAfter: number;
}

const errorCodes: readonly string[] = ["RATE_LIMITED", "STORE_FAILED"];

/** The error passed to `next(err)` when a connection is refused. */
export class CheckSocketioTypeboxRateLimitError extends Error {
  /** Sent to the client: `connect_error` receives `err.message` and `err.data`. */
  readonly data: CheckSocketioTypeboxRateLimitErrorData;

  constructor(code: CheckSocketioTypeboxRateLimitErrorCode, retryAfter: number, options?: { cause?: unknown }) {
    super(
      code === "RATE_LIMITED" ? "Too many connections, please retry later" : "The connection could not be counted, please retry later",
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "CheckSocketioTypeboxRateLimitError";
    this.data = { code, retryAfter };
  }
}

/**
 * Whether `value` is a refusal by `checkSocketioTypeboxRateLimit()`: the `CheckSocketioTypeboxRateLimitError` on the server, or the error that the
 * client's `connect_error` event receives (which carries the same `message` and `data`).
 */
export function isCheckSocketioTypeboxRateLimitError(value: unknown): value is Error & { readonly data: CheckSocketioTypeboxRateLimitErrorData } {
  if (!(value instanceof Error)) return false;
  const data: unknown = (value as { data?: unknown }).data;
  if (typeof data !== "object" || data === null) return false;
  const { code, retryAfter } = data as Record<string, unknown>;
  return typeof code === "string" && errorCodes.includes(code) && typeof retryAfter === "number";
}

/** The options of `checkSocketioTypeboxRateLimit()`: the settings plus the key, the store and the clock. */
export interface CheckSocketioTypeboxRateLimitOptions extends CheckSocketioTypeboxRateLimitSettings {
  /**
   * The key connections are counted under: one limit per key.
   * @default the client's IP address (`socket.handshake.address`)
   */
  keyGenerator?: (socket: Socket) => string;
  /**
   * Where the counts are kept.
   * @default a new `MemoryStore`: per process
   */
  store?: CheckSocketioTypeboxRateLimitStore;
  /**
   * The clock, in milliseconds since the epoch. Tests pass their own to move through windows.
   * @default Date.now
   */
  now?: () => number;
}

/** A Socket.IO middleware, for `io.use()` and `io.of(namespace).use()`. */
export type CheckSocketioTypeboxRateLimitMiddleware = (socket: Socket, next: (err?: ExtendedError) => void) => void;

const optionNames: readonly string[] = ["limit", "windowMs", "keyGenerator", "store", "now"];

/** How long a client refused because the store failed is told to wait, in seconds. */
const STORE_FAILED_RETRY_AFTER = 5;

function clientAddress(socket: Socket): string {
  return socket.handshake.address;
}

const misuse =
  "check-socketio-typebox-rate-limit: checkSocketioTypeboxRateLimit was given a socket: it is a factory, write io.use(checkSocketioTypeboxRateLimit()) instead of io.use(checkSocketioTypeboxRateLimit)";

function looksLikeSocket(value: unknown): boolean {
  return typeof value === "object" && value !== null && "handshake" in value && "nsp" in value;
}

let warnedMisuse = false;

/**
 * `io.use(checkSocketioTypeboxRateLimit)` makes Socket.IO call the factory with (socket, next). An error thrown there would be
 * swallowed and the connection dropped silently, so refuse it through `next`: the client's connect_error
 * then says what to fix. Returns true when the factory was misused.
 */
function refusedMisuse(options: unknown, next: unknown): boolean {
  if (!looksLikeSocket(options) && typeof next !== "function") return false;
  const error = new TypeError(misuse);
  if (typeof next !== "function") throw error;
  if (!warnedMisuse) {
    warnedMisuse = true;
    process.emitWarning(misuse, { code: "CHECK_SOCKETIO_TYPEBOX_RATE_LIMIT_MISUSE" });
  }
  (next as (err: Error) => void)(error);
  return true;
}

/**
 * Creates the middleware: `io.use(checkSocketioTypeboxRateLimit())`. Each key may open `limit` connections per window of
 * `windowMs`; the next ones are refused until the window ends. It runs once per connection to the
 * namespace, so it limits connections, not the events sent over them. Options are validated here, once.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkSocketioTypeboxRateLimit(options?: CheckSocketioTypeboxRateLimitOptions): CheckSocketioTypeboxRateLimitMiddleware {
  if (refusedMisuse(options, arguments[1])) return () => {};
  const settings = parseSettings(options, optionNames);
  const limit = settings.limit;
  if (!Number.isInteger(limit) || limit < 1) throw invalidOption("limit", "a positive integer", limit);
  const windowMs = settings.windowMs;
  if (!Number.isInteger(windowMs) || windowMs < 1) throw invalidOption("windowMs", "a positive integer (milliseconds)", windowMs);
  const keyGenerator = options?.keyGenerator ?? clientAddress;
  if (typeof keyGenerator !== "function") throw invalidOption("keyGenerator", "a function", keyGenerator);
  const store = options?.store ?? new MemoryStore();
  if (typeof store.increment !== "function") throw invalidOption("store", "a store with an increment method", store);
  const now = options?.now ?? Date.now;
  if (typeof now !== "function") throw invalidOption("now", "a function", now);

  return function checkSocketioTypeboxRateLimitMiddleware(socket, next) {
    // A connection that cannot be counted (the store or keyGenerator failed) is refused: fail closed. The
    // error stays on the server as the cause.
    const refuseUncounted = (error: unknown) => next(new CheckSocketioTypeboxRateLimitError("STORE_FAILED", STORE_FAILED_RETRY_AFTER, { cause: error }));
    let time: number;
    let counting: Promise<CheckSocketioTypeboxRateLimitHit>;
    try {
      time = now();
      counting = Promise.resolve(store.increment(keyGenerator(socket), windowMs, time));
    } catch (error) {
      refuseUncounted(error);
      return;
    }
    counting.then((counted) => {
      if (counted.count <= limit) {
        next();
        return;
      }
      next(new CheckSocketioTypeboxRateLimitError("RATE_LIMITED", Math.max(0, Math.ceil((counted.resetAt - time) / 1000))));
    }, refuseUncounted);
  };
}

export default checkSocketioTypeboxRateLimit;
