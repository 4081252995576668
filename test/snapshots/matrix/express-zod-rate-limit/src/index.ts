import type { IncomingMessage, ServerResponse } from "node:http";
import { invalidOption, parseSettings, type CheckExpressZodRateLimitSettings } from "./options.js";
import { MemoryStore, type CheckExpressZodRateLimitHit, type CheckExpressZodRateLimitStore } from "./store.js";

export type { CheckExpressZodRateLimitResolvedSettings, CheckExpressZodRateLimitSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";
export { MemoryStore, type CheckExpressZodRateLimitHit, type CheckExpressZodRateLimitStore } from "./store.js";

/**
 * The error a request over the limit is passed to `next(err)` with, shaped like the `http-errors`
 * package's errors: status 429, `expose` true, and `retryAfter`, the seconds until the window ends.
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

/** The options of `checkExpressZodRateLimit()`: the settings plus the key, the store and the clock. */
export interface CheckExpressZodRateLimitOptions<Req extends IncomingMessage = IncomingMessage> extends CheckExpressZodRateLimitSettings {
  /**
   * The key requests are counted under: one limit per key.
   * @default the client's IP address (`req.ip` under Express, so `trust proxy` applies)
   */
  keyGenerator?: (req: Req) => string;
  /**
   * Where the counts are kept.
   * @default a new `MemoryStore`: per process
   */
  store?: CheckExpressZodRateLimitStore;
  /**
   * The clock, in milliseconds since the epoch. Tests pass their own to move through windows.
   * @default Date.now
   */
  now?: () => number;
}

/** The middleware `checkExpressZodRateLimit()` returns: for Express 4 and 5, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressZodRateLimitMiddleware<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
  next: (err?: unknown) => void,
) => void;

const OPTION_NAMES: readonly string[] = ["limit", "windowMs", "headers", "keyGenerator", "store", "now"];

function clientAddress(req: IncomingMessage): string {
  return (req as { ip?: string }).ip ?? req.socket.remoteAddress ?? "unknown";
}

/**
 * Creates the middleware: `app.use(checkExpressZodRateLimit())`. Each key may make `limit` requests per window of
 * `windowMs`; the next ones reach the error handler as a 429 until the window ends. Options are
 * validated here, once, never per request.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressZodRateLimit<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  options?: CheckExpressZodRateLimitOptions<Req>,
  // Never given: it makes `app.use(checkExpressZodRateLimit)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressZodRateLimitMiddleware<Req, Res> {
  // `app.use(checkExpressZodRateLimit)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError("check-express-zod-rate-limit: checkExpressZodRateLimit is a factory: write app.use(checkExpressZodRateLimit()), not app.use(checkExpressZodRateLimit)");
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const limit = settings.limit;
  if (!Number.isInteger(limit) || limit < 1) throw invalidOption("limit", "a positive integer", limit);
  const windowMs = settings.windowMs;
  if (!Number.isInteger(windowMs) || windowMs < 1) throw invalidOption("windowMs", "a positive integer (milliseconds)", windowMs);
  const headers = settings.headers;
  const keyGenerator = options?.keyGenerator ?? clientAddress;
  if (typeof keyGenerator !== "function") throw invalidOption("keyGenerator", "a function", keyGenerator);
  const store = options?.store ?? new MemoryStore();
  if (typeof store.increment !== "function") throw invalidOption("store", "a store with an increment method", store);
  const now = options?.now ?? Date.now;
  if (typeof now !== "function") throw invalidOption("now", "a function", now);

  return function checkExpressZodRateLimitMiddleware(req, res, next) {
    let time: number;
    let counting: Promise<CheckExpressZodRateLimitHit>;
    try {
      time = now();
      counting = Promise.resolve(store.increment(keyGenerator(req), windowMs, time));
    } catch (error) {
      next(error);
      return;
    }
    // Settled here, not returned: Express 4 would not catch a rejected promise (a store that is down).
    counting.then(
      (counted) => {
        const secondsLeft = Math.max(0, Math.ceil((counted.resetAt - time) / 1000));
        if (headers && !res.headersSent) {
          // The IETF RateLimit header fields (draft 6), as express-rate-limit's standardHeaders send them.
          res.setHeader("RateLimit-Policy", `${limit};w=${Math.ceil(windowMs / 1000)}`);
          res.setHeader("RateLimit-Limit", String(limit));
          res.setHeader("RateLimit-Remaining", String(Math.max(0, limit - counted.count)));
          res.setHeader("RateLimit-Reset", String(secondsLeft));
        }
        if (counted.count <= limit) {
          next();
          return;
        }
        if (!res.headersSent) res.setHeader("Retry-After", String(secondsLeft));
        next(new CheckExpressZodRateLimitError(secondsLeft));
      },
      (error: unknown) => next(error),
    );
  };
}

export default checkExpressZodRateLimit;
