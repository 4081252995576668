import type { IncomingMessage, ServerResponse } from "node:http";
import { invalidOption, parseSettings, type CheckExpressJoiAsyncGuardSettings } from "./options.js";

export type { CheckExpressJoiAsyncGuardResolvedSettings, CheckExpressJoiAsyncGuardSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/**
 * Why a request was refused. It has the shape of the `http-errors` package's errors, which Express's
 * default error handler understands: `status` for the response, `expose` true for a 4xx, whose message is
 * meant for the client, false for a 5xx (validate failed: its details stay on the server).
 */
export class CheckExpressJoiAsyncGuardError extends Error {
  readonly status: number;
  readonly statusCode: number;
  readonly expose: boolean;

  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckExpressJoiAsyncGuardError";
    this.status = status;
    this.statusCode = status;
    this.expose = status < 500;
  }
}

// The error class under a short name, for the code below.
const GuardError = CheckExpressJoiAsyncGuardError;
type GuardError = CheckExpressJoiAsyncGuardError;

/** The package's name, which its messages start with, and the code of its warning. */
const PACKAGE = "check-express-joi-async-guard";
const NO_VALIDATE_CODE = "CHECK_EXPRESS_JOI_ASYNC_GUARD_NO_VALIDATE";

/** Answers a refused request: `(req, res, next, error)`, or `"next"` to pass the error to `next(err)`. */
export type CheckExpressJoiAsyncGuardHandler<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = ((req: Req, res: Res, next: (err?: unknown) => void, error: CheckExpressJoiAsyncGuardError) => void) | "next";

/** The options of `checkExpressJoiAsyncGuard()`: the settings plus the check itself. */
export interface CheckExpressJoiAsyncGuardOptions<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> extends CheckExpressJoiAsyncGuardSettings {
  /**
   * Checks the request: return (or resolve) `true` to let it through; anything else refuses it with the
   * 4xx status. A throw or a rejection is a failure of the check, not a verdict: 500, the error kept as
   * `cause`. Throw a `CheckExpressJoiAsyncGuardError` yourself to choose the status and message.
   * @default refuses every request, so that a guard nobody configured keeps the door shut
   */
  validate?: (req: Req) => boolean | Promise<boolean>;
  /**
   * Answers a refused request. By default the middleware answers itself: the status and a small JSON body
   * `{ error }`. `"next"` passes the `CheckExpressJoiAsyncGuardError` to `next(err)`.
   */
  handler?: CheckExpressJoiAsyncGuardHandler<Req, Res>;
}

/** The middleware `checkExpressJoiAsyncGuard()` returns: for Express 4 and 5, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressJoiAsyncGuardMiddleware<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

const OPTION_NAMES: readonly string[] = ["status", "message", "validate", "handler"];

let warnedUnconfigured = false;

/**
 * Creates the middleware: `app.use(checkExpressJoiAsyncGuard({ validate }))`, or on the routes it guards. Options are
 * validated here, once, never per request.
 *
 * @example
 * app.use(checkExpressJoiAsyncGuard({ validate: async (req) => sessions.has(req.headers.cookie ?? "") }));
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressJoiAsyncGuard<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  options?: CheckExpressJoiAsyncGuardOptions<Req, Res>,
  // Never given: it makes `app.use(checkExpressJoiAsyncGuard)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressJoiAsyncGuardMiddleware<Req, Res> {
  // `app.use(checkExpressJoiAsyncGuard)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError(
      "check-express-joi-async-guard: checkExpressJoiAsyncGuard is a factory: write app.use(checkExpressJoiAsyncGuard({ validate })), not app.use(checkExpressJoiAsyncGuard)",
    );
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const status = settings.status;
  if (!Number.isInteger(status) || status < 400 || status > 499)
    throw invalidOption("status", "an HTTP 4xx status code", status);
  const message = settings.message;
  const validate = options?.validate ?? refuseUnconfigured;
  if (typeof validate !== "function") throw invalidOption("validate", "a function", validate);
  if (options?.validate === undefined && !warnedUnconfigured) {
    warnedUnconfigured = true;
    process.emitWarning(`${PACKAGE}: no validate option was given, so every request is refused`, {
      code: NO_VALIDATE_CODE,
    });
  }

  const handler = options?.handler ?? answer;
  if (typeof handler !== "function" && handler !== "next")
    throw invalidOption("handler", "a function or 'next'", handler);

  return function checkExpressJoiAsyncGuardMiddleware(req, res, next) {
    const refuse = (error: GuardError) => {
      if (handler === "next" || res.headersSent) next(error);
      else handler(req, res, next, error);
    };
    // A throw is the check failing (a database down), not the request being refused: 5xx, not 4xx.
    const failed = (error: unknown) =>
      refuse(error instanceof GuardError ? error : new GuardError(500, "Internal Server Error", { cause: error }));
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = validate(req);
    } catch (error) {
      failed(error);
      return;
    }
    // Settle the promise here rather than return it: Express 5 would catch a rejection, Express 4 would
    // leave the request hanging. This way both see exactly one call to next.
    Promise.resolve(verdict)
      .then((passed) => (passed === true ? next() : refuse(new GuardError(status, message))), failed)
      // A throw from a handler or from next() lands here, not in an unhandled rejection that ends the process.
      .catch((error: unknown) => process.emitWarning(error instanceof Error ? error : String(error)));
  };
}

/** The default answer to a refusal: the status and a small JSON body, no stack trace. */
function answer(_req: IncomingMessage, res: ServerResponse, _next: unknown, error: GuardError): void {
  res.statusCode = error.status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify({ error: error.expose ? error.message : "Internal Server Error" }));
}

function refuseUnconfigured(): boolean {
  return false;
}

export default checkExpressJoiAsyncGuard;
