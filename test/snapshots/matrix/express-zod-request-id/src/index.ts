import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { validateHeaderName, type IncomingMessage, type ServerResponse } from "node:http";
import { describeValue, invalidOption, parseSettings, type CheckExpressZodRequestIdSettings } from "./options.js";

export type { CheckExpressZodRequestIdResolvedSettings, CheckExpressZodRequestIdSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/** What check-express-zod-request-id attaches to each request as `req.checkExpressZodRequestId`. */
export interface CheckExpressZodRequestIdInfo {
  /** The request's id: a random UUID, what `generator` made, or the trusted incoming one. */
  id: string;
  /** When the middleware saw the request, in milliseconds since the epoch. */
  receivedAt: number;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by check-express-zod-request-id; `undefined` when the request was skipped. */
      checkExpressZodRequestId?: CheckExpressZodRequestIdInfo;
    }
  }
}

/**
 * The options of `checkExpressZodRequestId()`: the settings plus the function-valued hooks. `Req` and `Res` are the
 * request and response types the hooks receive: Node's own by default; annotate a hook's parameters
 * (`(req: Request) => ...`) to get Express's.
 */
export interface CheckExpressZodRequestIdOptions<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> extends CheckExpressZodRequestIdSettings {
  /**
   * Return `true` (or a promise of it) to let a request through untouched: no id, no header, no
   * `onRequest`. A synchronous answer costs nothing extra; a promise is waited for, and a rejection is
   * passed to `next(err)`.
   * @default never skip
   */
  skip?: (req: Req, res: Res) => boolean | Promise<boolean>;
  /**
   * Runs after the id is assigned, before the next middleware. A throw or a rejected promise is passed to
   * `next(err)`, so it reaches your error handler.
   * @default none
   */
  onRequest?: (req: Req, res: Res) => void | Promise<void>;
  /**
   * Makes a request's id. Return a string.
   * @default crypto.randomUUID
   */
  generator?: (req: Req) => string;
}

// The request being handled, for code deeper in the stack (a logger) that has no `req` at hand. Used only
// with `asyncContext: true`: running each request in it costs CPU, which most apps need not pay.
const context = new AsyncLocalStorage<CheckExpressZodRequestIdInfo>();

/**
 * With `asyncContext: true`, the id of the request being handled, from anywhere in the code that runs for
 * it (after this middleware, in `onRequest`, and in what they await); `undefined` outside a request and
 * without `asyncContext`.
 */
export function currentRequestId(): string | undefined {
  return context.getStore()?.id;
}

/** An incoming id worth keeping: 1 to 128 characters a log line and a header can carry as they are. */
const TRUSTED_ID = /^[A-Za-z0-9._:@=+/-]{1,128}$/;

/** The middleware `checkExpressZodRequestId()` returns: for Express, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressZodRequestIdMiddleware<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

const OPTION_NAMES: readonly string[] = [
  "header",
  "setHeader",
  "trustIncoming",
  "asyncContext",
  "skip",
  "onRequest",
  "generator",
];

/** The package's name, which its error messages start with. */
const PACKAGE = "check-express-zod-request-id";

/** The property the middleware sets, for requests whose type does not declare it (Express's do). */
interface WithInfo {
  checkExpressZodRequestId?: CheckExpressZodRequestIdInfo;
}

/**
 * Creates the middleware: `app.use(checkExpressZodRequestId())`. Options are validated here, once.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressZodRequestId<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  options?: CheckExpressZodRequestIdOptions<Req, Res>,
  // Never given: it makes `app.use(checkExpressZodRequestId)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressZodRequestIdMiddleware<Req, Res> {
  // `app.use(checkExpressZodRequestId)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError(
      "check-express-zod-request-id: checkExpressZodRequestId is a factory: write app.use(checkExpressZodRequestId()), not app.use(checkExpressZodRequestId)",
    );
  }
  const settings = parseSettings(options, OPTION_NAMES);
  try {
    validateHeaderName(settings.header);
  } catch {
    throw invalidOption("header", "a valid HTTP header name", settings.header);
  }
  const skip = hook(options, "skip");
  const onRequest = hook(options, "onRequest");
  const generator = hook(options, "generator") ?? randomUUID;
  const incomingHeader = settings.header.toLowerCase();

  function handle(req: Req, res: Res): void | Promise<void> {
    const skipped = skip?.(req, res);
    // An async skip resolves to the answer: wait for it; a plain boolean keeps the synchronous path.
    if (isThenable(skipped)) return Promise.resolve(skipped).then((yes) => (yes ? undefined : assign(req, res)));
    if (skipped) return;
    return assign(req, res);
  }

  function assign(req: Req, res: Res): void | Promise<void> {
    // A client's own id is kept only when asked for, and only when it is short and plain: anything else
    // (a log-injection attempt, a megabyte of header) gets a fresh id.
    const incoming = settings.trustIncoming ? req.headers[incomingHeader] : undefined;
    const id = typeof incoming === "string" && TRUSTED_ID.test(incoming) ? incoming : generator(req);
    if (typeof id !== "string" || id === "")
      throw new TypeError(`${PACKAGE}: generator returned ${describeValue(id)}, not a non-empty string`);
    const info: CheckExpressZodRequestIdInfo = {
      id,
      receivedAt: Date.now(),
    };
    (req as Req & WithInfo).checkExpressZodRequestId = info;
    if (settings.setHeader) res.setHeader(settings.header, info.id);
    // Your middleware's own work goes here: read `settings`, `req` and `res`. Attach data to
    // `req.checkExpressZodRequestId` (typed above) rather than to `req.query` or `req.body`.
    if (onRequest === undefined) return;
    return settings.asyncContext ? context.run(info, () => onRequest(req, res)) : onRequest(req, res);
  }

  return function checkExpressZodRequestIdMiddleware(req, res, next) {
    // With asyncContext, what runs after this middleware (and what it awaits) sees the id through currentRequestId().
    const proceed = () => {
      const info = (req as Req & WithInfo).checkExpressZodRequestId;
      if (info === undefined || !settings.asyncContext) next();
      else context.run(info, next);
    };
    let pending: void | Promise<void>;
    try {
      pending = handle(req, res);
    } catch (error) {
      next(asError(error));
      return;
    }
    if (pending === undefined || typeof pending.then !== "function") {
      proceed();
      return;
    }
    // Express 5 would catch a returned promise, Express 4 would not: handle it here for both.
    pending.then(proceed, (error: unknown) => next(asError(error)));
  };
}

export default checkExpressZodRequestId;

/** Reads a function-valued option, checking its type. */
function hook<K extends "skip" | "onRequest" | "generator", Req extends IncomingMessage, Res extends ServerResponse>(
  options: CheckExpressZodRequestIdOptions<Req, Res> | undefined,
  name: K,
): CheckExpressZodRequestIdOptions<Req, Res>[K] {
  const value = options?.[name];
  if (value !== undefined && typeof value !== "function") throw invalidOption(name, "a function", value);
  return value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

/** `next(err)` would ignore a falsy `err`: like Express 5, turn one into an `Error`. */
function asError(reason: unknown): unknown {
  return reason || new Error(`${PACKAGE}: a hook failed with ${describeValue(reason)}`, { cause: reason });
}
