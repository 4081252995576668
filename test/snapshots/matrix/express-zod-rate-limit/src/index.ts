import type { IncomingMessage, ServerResponse } from "node:http";
import { invalidOption, parseSettings, type CheckExpressZodRateLimitSettings } from "./options.js";
import { ipv6Key } from "./ipv6.js";
import {
  MemoryStore,
  type CheckExpressZodRateLimitHit,
  type CheckExpressZodRateLimitStore,
  type CheckExpressZodRateLimitStoreHit,
} from "./store.js";

export type { CheckExpressZodRateLimitResolvedSettings, CheckExpressZodRateLimitSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";
export { ipv6Key } from "./ipv6.js";
export {
  MemoryStore,
  type CheckExpressZodRateLimitHit,
  type CheckExpressZodRateLimitStore,
  type CheckExpressZodRateLimitStoreHit,
} from "./store.js";

/** What `checkExpressZodRateLimit()` sets on `req.rateLimit` for each counted request. */
export interface CheckExpressZodRateLimitInfo {
  /** Requests allowed per window. */
  limit: number;
  /** Requests counted in the current window, this one included. */
  used: number;
  /** Requests left in the current window. */
  remaining: number;
  /** When the current window ends. */
  resetTime: Date;
  /** The key the request was counted under. */
  key: string;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by check-express-zod-rate-limit: the limit, what is left and when the window ends. */
      rateLimit?: CheckExpressZodRateLimitInfo;
    }
  }
}

/**
 * Why a request was refused, shaped like the `http-errors` package's errors: status 429, `expose` true,
 * and `retryAfter`, the seconds until the window ends.
 */
export class CheckExpressZodRateLimitError extends Error {
  readonly status = 429;
  readonly statusCode = 429;
  readonly expose = true;
  readonly retryAfter: number;

  constructor(retryAfter: number) {
    super("Too many requests, please try again later");
    this.name = "CheckExpressZodRateLimitError";
    this.retryAfter = retryAfter;
  }
}

/** Answers a refused request: `(req, res, next, error)`, or `"next"` to pass the error to `next(err)`. */
export type CheckExpressZodRateLimitHandler<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = ((req: Req, res: Res, next: (err?: unknown) => void, error: CheckExpressZodRateLimitError) => void) | "next";

/** The options of `checkExpressZodRateLimit()`: the settings plus the key, the store, the clock and the answer. */
export interface CheckExpressZodRateLimitOptions<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> extends CheckExpressZodRateLimitSettings {
  /**
   * The key requests are counted under: one limit per key. A promise of one is awaited.
   * @default the client's IP address (`req.ip` under Express, so `trust proxy` applies), an IPv6 one
   * grouped by its `ipv6Subnet` prefix
   */
  keyGenerator?: (req: Req) => string | Promise<string>;
  /**
   * Return true (or a promise of true) to let a request through uncounted.
   * @default counts every request
   */
  skip?: (req: Req, res: Res) => boolean | Promise<boolean>;
  /**
   * Where the counts are kept: a `CheckExpressZodRateLimitStore`, or a store written for express-rate-limit.
   * @default a new `MemoryStore`: per process
   */
  store?: CheckExpressZodRateLimitStore;
  /**
   * The clock, in milliseconds since the epoch. Tests pass their own to move through windows.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Answers a refused request. By default the middleware answers itself: 429, `Retry-After`, the
   * RateLimit headers and a small JSON body `{ error, retryAfter }`. `"next"` passes the
   * `CheckExpressZodRateLimitError` to `next(err)`.
   */
  handler?: CheckExpressZodRateLimitHandler<Req, Res>;
}

/**
 * The middleware `checkExpressZodRateLimit()` returns: for Express 4 and 5, or any `(req, res, next)` stack on Node's
 * `http`. `resetKey(key)` forgets a key's count (after a successful sign-in, say).
 */
export type CheckExpressZodRateLimitMiddleware<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = ((req: Req, res: Res, next: (err?: unknown) => void) => void) & { resetKey(key: string): Promise<void> };

const OPTION_NAMES: readonly string[] = [
  "limit",
  "windowMs",
  "headers",
  "standardHeaders",
  "ipv6Subnet",
  "keyGenerator",
  "skip",
  "store",
  "now",
  "handler",
];

// The error class and the types below under short names, for the code below.
const LimitError = CheckExpressZodRateLimitError;
type LimitError = CheckExpressZodRateLimitError;
type Info = CheckExpressZodRateLimitInfo;
type Hit = CheckExpressZodRateLimitHit;
type StoreHit = CheckExpressZodRateLimitStoreHit;
type Store = CheckExpressZodRateLimitStore;

/** The package's name, which its messages start with. */
const PACKAGE = "check-express-zod-rate-limit";

let warnedProxy = false;

/**
 * The client's address, as Express sees it. Behind a proxy with `trust proxy` off, every client has the
 * proxy's address and so shares one budget: say so, once, as express-rate-limit's validations do.
 */
function clientAddress(req: IncomingMessage): string {
  const app = (req as { app?: { get?: (name: string) => unknown } }).app;
  if (
    !warnedProxy &&
    req.headers["x-forwarded-for"] !== undefined &&
    typeof app?.get === "function" &&
    app.get("trust proxy") === false
  ) {
    warnedProxy = true;
    process.emitWarning(
      'check-express-zod-rate-limit: a request has X-Forwarded-For but Express\'s "trust proxy" is off, so every client behind the proxy shares one limit. Set app.set("trust proxy", <number of proxies>).',
      { code: "CHECK_EXPRESS_ZOD_RATE_LIMIT_TRUST_PROXY" },
    );
  }
  return (req as { ip?: string }).ip ?? req.socket.remoteAddress ?? "unknown";
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

/**
 * Creates the middleware: `app.use(checkExpressZodRateLimit())`. Each key may make `limit` requests per window of
 * `windowMs`; the next ones are answered with 429 until the window ends. Options are
 * validated here, once, never per request.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressZodRateLimit<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  options?: CheckExpressZodRateLimitOptions<Req, Res>,
  // Never given: it makes `app.use(checkExpressZodRateLimit)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressZodRateLimitMiddleware<Req, Res> {
  // `app.use(checkExpressZodRateLimit)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError(
      "check-express-zod-rate-limit: checkExpressZodRateLimit is a factory: write app.use(checkExpressZodRateLimit()), not app.use(checkExpressZodRateLimit)",
    );
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const limit = settings.limit;
  if (!Number.isInteger(limit) || limit < 1) throw invalidOption("limit", "a positive integer", limit);
  const windowMs = settings.windowMs;
  if (!Number.isInteger(windowMs) || windowMs < 1)
    throw invalidOption("windowMs", "a positive integer (milliseconds)", windowMs);
  const headers = settings.headers;
  const standardHeaders = settings.standardHeaders;
  const ipv6Subnet = settings.ipv6Subnet;
  if (!Number.isInteger(ipv6Subnet) || ipv6Subnet < 1 || ipv6Subnet > 128)
    throw invalidOption("ipv6Subnet", "an integer from 1 to 128", ipv6Subnet);
  const keyGenerator = options?.keyGenerator ?? ((req: Req) => ipv6Key(clientAddress(req), ipv6Subnet));
  if (typeof keyGenerator !== "function") throw invalidOption("keyGenerator", "a function", keyGenerator);
  const skip = options?.skip;
  if (skip !== undefined && typeof skip !== "function") throw invalidOption("skip", "a function", skip);
  const store: Store = options?.store ?? new MemoryStore();
  if (typeof store?.increment !== "function") throw invalidOption("store", "a store with an increment method", store);
  const now = options?.now ?? Date.now;
  if (typeof now !== "function") throw invalidOption("now", "a function", now);
  const handler = options?.handler ?? answer;
  if (typeof handler !== "function" && handler !== "next")
    throw invalidOption("handler", "a function or 'next'", handler);
  // A store written for express-rate-limit learns the window here.
  if (typeof store.init === "function") store.init({ windowMs, limit });
  const windowSeconds = Math.ceil(windowMs / 1000);
  const policy =
    standardHeaders === "draft-8"
      ? `"${limit}-in-${windowSeconds}s"; q=${limit}; w=${windowSeconds}`
      : `${limit};w=${windowSeconds}`;

  const count = (req: Req, res: Res, next: (err?: unknown) => void, key: string) => {
    if (typeof key !== "string") throw new TypeError(`${PACKAGE}: keyGenerator returned ${typeof key}, not a string`);
    const time = now();
    after(
      store.increment(key, windowMs, time),
      (answered) => {
        const hit = readHit(answered, time, windowMs);
        const remaining = Math.max(0, limit - hit.count);
        const secondsLeft = Math.max(0, Math.ceil((hit.resetAt - time) / 1000));
        (req as Req & { rateLimit?: Info }).rateLimit = {
          limit,
          used: hit.count,
          remaining,
          resetTime: new Date(hit.resetAt),
          key,
        };
        if (headers && !res.headersSent) {
          // The IETF RateLimit header fields, as express-rate-limit's standardHeaders send them.
          res.setHeader("RateLimit-Policy", policy);
          if (standardHeaders === "draft-6") {
            res.setHeader("RateLimit-Limit", String(limit));
            res.setHeader("RateLimit-Remaining", String(remaining));
            res.setHeader("RateLimit-Reset", String(secondsLeft));
          } else if (standardHeaders === "draft-7") {
            res.setHeader("RateLimit", `limit=${limit}, remaining=${remaining}, reset=${secondsLeft}`);
          } else {
            res.setHeader("RateLimit", `"${limit}-in-${windowSeconds}s"; r=${remaining}; t=${secondsLeft}`);
          }
        }
        if (hit.count <= limit) {
          next();
          return;
        }
        if (!res.headersSent) res.setHeader("Retry-After", String(secondsLeft));
        const error = new LimitError(secondsLeft);
        if (handler === "next" || res.headersSent) next(error);
        else handler(req, res, next, error);
      },
      next,
    );
  };

  const middleware = function checkExpressZodRateLimitMiddleware(req: Req, res: Res, next: (err?: unknown) => void) {
    try {
      after(
        skip === undefined ? false : skip(req, res),
        (skipped) => {
          if (skipped === true) return next();
          after(keyGenerator(req), (key) => count(req, res, next, key), next);
        },
        next,
      );
    } catch (error) {
      next(error);
    }
  };
  return Object.assign(middleware, {
    async resetKey(key: string): Promise<void> {
      if (typeof store.resetKey !== "function") throw new TypeError(`${PACKAGE}: the store has no resetKey method`);
      await store.resetKey(key);
    },
  });
}

/** The default answer to a refusal: 429, its headers already set, and a small JSON body, no stack trace. */
function answer(_req: IncomingMessage, res: ServerResponse, _next: unknown, error: LimitError): void {
  res.statusCode = error.status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ error: error.message, retryAfter: error.retryAfter }));
}

export default checkExpressZodRateLimit;
