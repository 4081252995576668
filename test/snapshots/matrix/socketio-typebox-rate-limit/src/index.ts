import type { ExtendedError, Socket } from "socket.io";
import { invalidOption, parseSettings, type CheckSocketioTypeboxRateLimitSettings } from "./options.js";
import { ipv6Key } from "./ipv6.js";
import {
  MemoryStore,
  type CheckSocketioTypeboxRateLimitHit,
  type CheckSocketioTypeboxRateLimitStore,
  type CheckSocketioTypeboxRateLimitStoreHit,
} from "./store.js";

export type {
  CheckSocketioTypeboxRateLimitResolvedSettings,
  CheckSocketioTypeboxRateLimitSettings,
} from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";
// The settings as JSON Schema, for documenting or validating a configuration file.
export { settingsSchema } from "./options.js";
export { ipv6Key } from "./ipv6.js";
export {
  MemoryStore,
  type CheckSocketioTypeboxRateLimitHit,
  type CheckSocketioTypeboxRateLimitStore,
  type CheckSocketioTypeboxRateLimitStoreHit,
} from "./store.js";

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

type LimitErrorCode = CheckSocketioTypeboxRateLimitErrorCode;

/** The error passed to `next(err)` when a connection is refused. */
export class CheckSocketioTypeboxRateLimitError extends Error {
  /** Sent to the client: `connect_error` receives `err.message` and `err.data`. */
  readonly data: CheckSocketioTypeboxRateLimitErrorData;

  constructor(code: LimitErrorCode, retryAfter: number, options?: { cause?: unknown }) {
    super(
      code === "RATE_LIMITED"
        ? "Too many connections, please retry later"
        : "The connection could not be counted, please retry later",
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "CheckSocketioTypeboxRateLimitError";
    this.data = { code, retryAfter };
  }
}

// The error class and the store's types under short names, for the code below.
const LimitError = CheckSocketioTypeboxRateLimitError;
type Hit = CheckSocketioTypeboxRateLimitHit;
type StoreHit = CheckSocketioTypeboxRateLimitStoreHit;
type Store = CheckSocketioTypeboxRateLimitStore;

/** The package's name, which its messages start with. */
const PACKAGE = "check-socketio-typebox-rate-limit";

/**
 * Whether `value` is a refusal by `checkSocketioTypeboxRateLimit()`: the `CheckSocketioTypeboxRateLimitError` on the server, or the error that the
 * client's `connect_error` event receives (which carries the same `message` and `data`).
 */
export function isCheckSocketioTypeboxRateLimitError(
  value: unknown,
): value is Error & { readonly data: CheckSocketioTypeboxRateLimitErrorData } {
  if (!(value instanceof Error)) return false;
  const data: unknown = (value as { data?: unknown }).data;
  if (typeof data !== "object" || data === null) return false;
  const { code, retryAfter } = data as Record<string, unknown>;
  return typeof code === "string" && errorCodes.includes(code) && typeof retryAfter === "number";
}

/** The options of `checkSocketioTypeboxRateLimit()`: the settings plus the key, the store and the clock. */
export interface CheckSocketioTypeboxRateLimitOptions extends CheckSocketioTypeboxRateLimitSettings {
  /**
   * The key connections are counted under: one limit per key. A promise of one is awaited.
   * @default the client's IP address (`socket.handshake.address`), an IPv6 one grouped by its
   * `ipv6Subnet` prefix
   */
  keyGenerator?: (socket: Socket) => string | Promise<string>;
  /**
   * Return true (or a promise of true) to let a connection through uncounted.
   * @default counts every connection
   */
  skip?: (socket: Socket) => boolean | Promise<boolean>;
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

/**
 * A Socket.IO middleware, for `io.use()` and `io.of(namespace).use()`. `resetKey(key)` forgets a key's
 * count.
 */
export type CheckSocketioTypeboxRateLimitMiddleware = ((
  socket: Socket,
  next: (err?: ExtendedError) => void,
) => void) & {
  resetKey(key: string): Promise<void>;
};

const optionNames: readonly string[] = ["limit", "windowMs", "ipv6Subnet", "keyGenerator", "skip", "store", "now"];

/** How long a client refused because the store failed is told to wait, in seconds. */
const STORE_FAILED_RETRY_AFTER = 5;

function clientAddress(socket: Socket): string {
  return socket.handshake.address;
}

const misuse =
  "check-socketio-typebox-rate-limit: checkSocketioTypeboxRateLimit was given a socket: it is a factory, write io.use(checkSocketioTypeboxRateLimit()) instead of io.use(checkSocketioTypeboxRateLimit)";
const misuseCode = "CHECK_SOCKETIO_TYPEBOX_RATE_LIMIT_MISUSE";

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
    process.emitWarning(misuse, { code: misuseCode });
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
export function checkSocketioTypeboxRateLimit(
  options?: CheckSocketioTypeboxRateLimitOptions,
): CheckSocketioTypeboxRateLimitMiddleware {
  if (refusedMisuse(options, arguments[1])) return Object.assign(() => {}, { resetKey: async () => {} });
  const settings = parseSettings(options, optionNames);
  const limit = settings.limit;
  if (!Number.isInteger(limit) || limit < 1) throw invalidOption("limit", "a positive integer", limit);
  const windowMs = settings.windowMs;
  if (!Number.isInteger(windowMs) || windowMs < 1)
    throw invalidOption("windowMs", "a positive integer (milliseconds)", windowMs);
  const ipv6Subnet = settings.ipv6Subnet;
  if (!Number.isInteger(ipv6Subnet) || ipv6Subnet < 1 || ipv6Subnet > 128)
    throw invalidOption("ipv6Subnet", "an integer from 1 to 128", ipv6Subnet);
  const keyGenerator = options?.keyGenerator ?? ((socket: Socket) => ipv6Key(clientAddress(socket), ipv6Subnet));
  if (typeof keyGenerator !== "function") throw invalidOption("keyGenerator", "a function", keyGenerator);
  const skip = options?.skip;
  if (skip !== undefined && typeof skip !== "function") throw invalidOption("skip", "a function", skip);
  const store: Store = options?.store ?? new MemoryStore();
  if (typeof store?.increment !== "function") throw invalidOption("store", "a store with an increment method", store);
  const now = options?.now ?? Date.now;
  if (typeof now !== "function") throw invalidOption("now", "a function", now);
  // A store written for express-rate-limit learns the window here.
  if (typeof store.init === "function") store.init({ windowMs, limit });

  const middleware = function checkSocketioTypeboxRateLimitMiddleware(
    socket: Socket,
    next: (err?: ExtendedError) => void,
  ) {
    // A connection that cannot be counted (the store or keyGenerator failed) is refused: fail closed. The
    // error stays on the server as the cause.
    const refuseUncounted = (error: unknown) =>
      next(new LimitError("STORE_FAILED", STORE_FAILED_RETRY_AFTER, { cause: error }));
    const count = (key: string) => {
      if (typeof key !== "string") throw new TypeError(`${PACKAGE}: keyGenerator returned ${typeof key}, not a string`);
      const time = now();
      after(
        store.increment(key, windowMs, time),
        (answered) => {
          const counted = readHit(answered, time, windowMs);
          if (counted.count <= limit) {
            next();
            return;
          }
          next(new LimitError("RATE_LIMITED", Math.max(0, Math.ceil((counted.resetAt - time) / 1000))));
        },
        refuseUncounted,
      );
    };
    try {
      after(
        skip === undefined ? false : skip(socket),
        (skipped) => {
          if (skipped === true) return next();
          after(keyGenerator(socket), count, refuseUncounted);
        },
        refuseUncounted,
      );
    } catch (error) {
      refuseUncounted(error);
    }
  };
  return Object.assign(middleware, {
    async resetKey(key: string): Promise<void> {
      if (typeof store.resetKey !== "function") throw new TypeError(`${PACKAGE}: the store has no resetKey method`);
      await store.resetKey(key);
    },
  });
}

/** What a store answered, in one shape; a TypeError naming the answer when it is neither known shape. */
function readHit(answer: unknown, time: number, windowMs: number): Hit {
  const given = (typeof answer === "object" && answer !== null ? answer : {}) as Partial<Hit & StoreHit>;
  const count = given.count ?? given.totalHits;
  const resetAt =
    given.resetAt ??
    (given.resetTime instanceof Date
      ? given.resetTime.getTime()
      : given.resetTime === undefined
        ? time + windowMs
        : Number.NaN);
  if (
    typeof count !== "number" ||
    !Number.isFinite(count) ||
    typeof resetAt !== "number" ||
    !Number.isFinite(resetAt)
  ) {
    let shown: string;
    try {
      shown = JSON.stringify(answer) ?? String(answer);
    } catch {
      shown = String(answer);
    }
    throw new TypeError(
      `${PACKAGE}: the store's increment returned ${shown}: expected { count, resetAt } or { totalHits, resetTime }`,
    );
  }
  return { count, resetAt };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * Calls `onValue` with `value`: at once when it is a plain value (the common, synchronous case costs no
 * promise), once it settles when it is a promise. A throw or a rejection goes to `onError`, never out.
 */
function after<T>(value: T | PromiseLike<T>, onValue: (value: T) => void, onError: (error: unknown) => void): void {
  if (!isThenable(value)) {
    onValue(value);
    return;
  }
  Promise.resolve(value)
    .then((settled) => {
      try {
        onValue(settled);
      } catch (error) {
        onError(error);
      }
    }, onError)
    .catch((error: unknown) => process.emitWarning(error instanceof Error ? error : String(error)));
}

export default checkSocketioTypeboxRateLimit;
