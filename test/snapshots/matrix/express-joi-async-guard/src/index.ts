import type { IncomingMessage, ServerResponse } from "node:http";
import { invalidOption, parseSettings, type CheckExpressJoiAsyncGuardSettings } from "./options.js";

export type { CheckExpressJoiAsyncGuardResolvedSettings, CheckExpressJoiAsyncGuardSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/**
 * The error a refused request is passed to `next(err)` with. It has the shape of the `http-errors`
 * package's errors, which Express's default error handler understands: `status` for the response,
 * `expose` true because the message is meant for the client.
 */
export class CheckExpressJoiAsyncGuardError extends Error {
  readonly status: number;
  readonly statusCode: number;
  readonly expose = true;

  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckExpressJoiAsyncGuardError";
    this.status = status;
    this.statusCode = status;
  }
}

/** The options of `checkExpressJoiAsyncGuard()`: the settings plus the check itself. */
export interface CheckExpressJoiAsyncGuardOptions<Req extends IncomingMessage = IncomingMessage> extends CheckExpressJoiAsyncGuardSettings {
  /**
   * Checks the request: return (or resolve) `true` to let it through. Anything else refuses it, and so
   * does a throw or a rejection: the request reaches the error handler as a `CheckExpressJoiAsyncGuardError`. Throw a
   * `CheckExpressJoiAsyncGuardError` yourself to choose its status and message.
   * @default refuses every request, so that a guard nobody configured keeps the door shut
   */
  validate?: (req: Req) => boolean | Promise<boolean>;
}

/** The middleware `checkExpressJoiAsyncGuard()` returns: for Express 4 and 5, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressJoiAsyncGuardMiddleware<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
  next: (err?: unknown) => void,
) => void;

const OPTION_NAMES: readonly string[] = ["status", "message", "validate"];

let warnedUnconfigured = false;

/**
 * Creates the middleware: `app.use(checkExpressJoiAsyncGuard({ validate }))`, or on the routes it guards. Options are
 * validated here, once, never per request.
 *
 * @example
 * app.use(checkExpressJoiAsyncGuard({ validate: async (req) => sessions.has(req.headers.cookie ?? "") }));
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressJoiAsyncGuard<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  options?: CheckExpressJoiAsyncGuardOptions<Req>,
  // Never given: it makes `app.use(checkExpressJoiAsyncGuard)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressJoiAsyncGuardMiddleware<Req, Res> {
  // `app.use(checkExpressJoiAsyncGuard)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError("check-express-joi-async-guard: checkExpressJoiAsyncGuard is a factory: write app.use(checkExpressJoiAsyncGuard({ validate })), not app.use(checkExpressJoiAsyncGuard)");
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const status = settings.status;
  if (!Number.isInteger(status) || status < 400 || status > 499) throw invalidOption("status", "an HTTP 4xx status code", status);
  const message = settings.message;
  const validate = options?.validate ?? refuseUnconfigured;
  if (typeof validate !== "function") throw invalidOption("validate", "a function", validate);
  if (options?.validate === undefined && !warnedUnconfigured) {
    warnedUnconfigured = true;
    process.emitWarning("check-express-joi-async-guard: no validate option was given, so every request is refused", { code: "CHECK_EXPRESS_JOI_ASYNC_GUARD_NO_VALIDATE" });
  }

  const refuse = (cause?: unknown) => new CheckExpressJoiAsyncGuardError(status, message, cause === undefined ? undefined : { cause });

  return function checkExpressJoiAsyncGuardMiddleware(req, _res, next) {
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = validate(req);
    } catch (error) {
      next(error instanceof CheckExpressJoiAsyncGuardError ? error : refuse(error));
      return;
    }
    // Settle the promise here rather than return it: Express 5 would catch a rejection, Express 4 would
    // leave the request hanging. This way both see exactly one call to next.
    Promise.resolve(verdict).then(
      (passed) => next(passed === true ? undefined : refuse()),
      (error: unknown) => next(error instanceof CheckExpressJoiAsyncGuardError ? error : refuse(error)),
    );
  };
}

function refuseUnconfigured(): boolean {
  return false;
}

export default checkExpressJoiAsyncGuard;
