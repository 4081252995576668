import type { IncomingMessage, ServerResponse } from "node:http";
import { invalidOption, parseSettings, type CheckExpressNoneAuthSettings } from "./options.js";

export type { CheckExpressNoneAuthResolvedSettings, CheckExpressNoneAuthSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

declare global {
  namespace Express {
    interface Request {
      /** What `verify` returned for the request's token; `undefined` when an optional token was absent. */
      checkExpressNoneAuth?: unknown;
    }
  }
}

/** Why a request was refused. */
export type CheckExpressNoneAuthErrorCode =
  /** No `Authorization: Bearer <token>` header (401). */
  | "MISSING_TOKEN"
  /** `verify` returned a falsy value (401). */
  | "INVALID_TOKEN"
  /** `verify` threw or rejected (503): the token could not be checked. */
  | "VERIFY_FAILED"
  /** `verify` took longer than `timeout` (503). */
  | "VERIFY_TIMEOUT";

const statuses: Record<CheckExpressNoneAuthErrorCode, number> = {
  MISSING_TOKEN: 401,
  INVALID_TOKEN: 401,
  VERIFY_FAILED: 503,
  VERIFY_TIMEOUT: 503,
};

const messages: Record<CheckExpressNoneAuthErrorCode, string> = {
  MISSING_TOKEN: "Authentication required",
  INVALID_TOKEN: "Invalid token",
  VERIFY_FAILED: "Authentication is unavailable, please retry later",
  VERIFY_TIMEOUT: "Authentication is unavailable, please retry later",
};

/**
 * The error a refused request is passed to `next(err)` with, shaped like the `http-errors` package's:
 * `status` for the response, `expose` true because the message is meant for the client, and `code`.
 */
export class CheckExpressNoneAuthError extends Error {
  readonly code: CheckExpressNoneAuthErrorCode;
  readonly status: number;
  readonly statusCode: number;
  readonly expose = true;

  constructor(code: CheckExpressNoneAuthErrorCode, message = messages[code], options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckExpressNoneAuthError";
    this.code = code;
    this.status = statuses[code];
    this.statusCode = this.status;
  }
}

/** The options of `checkExpressNoneAuth()`: the settings plus the token check. */
export interface CheckExpressNoneAuthOptions<Req extends IncomingMessage = IncomingMessage> extends CheckExpressNoneAuthSettings {
  /**
   * Checks a bearer token. Return (or resolve) a truthy value to accept the request: it is stored on
   * `req.checkExpressNoneAuth`. A falsy value refuses it with 401; a throw or rejection with 503, unless you
   * throw a `CheckExpressNoneAuthError`, which is passed on as is.
   * @default refuses every token, so that an unconfigured check keeps the door shut
   */
  verify?: (token: string, req: Req) => unknown;
}

/** The middleware `checkExpressNoneAuth()` returns: for Express 4 and 5, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressNoneAuthMiddleware<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
  next: (err?: unknown) => void,
) => void;

const OPTION_NAMES: readonly string[] = ["realm", "required", "timeout", "verify"];

/** `Bearer <token>`, the scheme in any case (RFC 6750); anything else is no bearer token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

let warnedUnconfigured = false;

/**
 * Creates the middleware: `app.use(checkExpressNoneAuth({ verify }))`, or on the routes it protects. Options are
 * validated here, once, never per request.
 *
 * @example
 * app.use(checkExpressNoneAuth({ verify: async (token) => sessions.findUser(token) }));
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressNoneAuth<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  options?: CheckExpressNoneAuthOptions<Req>,
  // Never given: it makes `app.use(checkExpressNoneAuth)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressNoneAuthMiddleware<Req, Res> {
  // `app.use(checkExpressNoneAuth)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError("check-express-none-auth: checkExpressNoneAuth is a factory: write app.use(checkExpressNoneAuth({ verify })), not app.use(checkExpressNoneAuth)");
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const realm = settings.realm;
  const required = settings.required;
  const timeout = settings.timeout;
  if (!(timeout > 0) || !Number.isFinite(timeout)) throw invalidOption("timeout", "a positive number of milliseconds", timeout);
  const verify = options?.verify ?? refuseUnconfigured;
  if (typeof verify !== "function") throw invalidOption("verify", "a function", verify);
  if (options?.verify === undefined && !warnedUnconfigured) {
    warnedUnconfigured = true;
    process.emitWarning("check-express-none-auth: no verify option was given, so every request is refused", { code: "CHECK_EXPRESS_NONE_AUTH_NO_VERIFY" });
  }
  const challenge = `Bearer realm="${realm.replace(/["\\]/g, "\\$&")}"`;

  return function checkExpressNoneAuthMiddleware(req, res, next) {
    const refuse = (error: CheckExpressNoneAuthError) => {
      // RFC 6750: a 401 names the scheme and realm, and says why when a token was sent.
      if (error.status === 401) {
        res.setHeader("WWW-Authenticate", error.code === "MISSING_TOKEN" ? challenge : `${challenge}, error="invalid_token"`);
      }
      next(error);
    };

    const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
    if (token === undefined) {
      if (required) refuse(new CheckExpressNoneAuthError("MISSING_TOKEN"));
      else next();
      return;
    }

    // Exactly one outcome per request: the first of verify's answer and the deadline wins.
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => settle(() => refuse(new CheckExpressNoneAuthError("VERIFY_TIMEOUT"))), timeout);
    timer.unref();

    const failed = (error: unknown) =>
      settle(() => refuse(error instanceof CheckExpressNoneAuthError ? error : new CheckExpressNoneAuthError("VERIFY_FAILED", undefined, { cause: error })));
    let result: unknown;
    try {
      result = verify(token, req);
    } catch (error) {
      failed(error);
      return;
    }
    Promise.resolve(result).then(
      (identity) =>
        settle(() => {
          if (!identity) return refuse(new CheckExpressNoneAuthError("INVALID_TOKEN"));
          (req as Req & { checkExpressNoneAuth?: unknown }).checkExpressNoneAuth = identity;
          next();
        }),
      failed,
    );
  };
}

function refuseUnconfigured(): boolean {
  return false;
}

export default checkExpressNoneAuth;
