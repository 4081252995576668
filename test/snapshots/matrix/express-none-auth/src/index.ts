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
  /** `verify` returned a falsy value, threw or rejected (401): expired, forged or garbled tokens land here. */
  | "INVALID_TOKEN"
  /** `verify` threw a `CheckExpressNoneAuthError("UNAVAILABLE")` (503): the token could not be checked, say the key server is down. */
  | "UNAVAILABLE"
  /** `verify` took longer than `timeout` (503). */
  | "VERIFY_TIMEOUT";

type AuthErrorCode = CheckExpressNoneAuthErrorCode;

const statuses: Record<CheckExpressNoneAuthErrorCode, number> = {
  MISSING_TOKEN: 401,
  INVALID_TOKEN: 401,
  UNAVAILABLE: 503,
  VERIFY_TIMEOUT: 503,
};

const messages: Record<CheckExpressNoneAuthErrorCode, string> = {
  MISSING_TOKEN: "Authentication required",
  INVALID_TOKEN: "Invalid token",
  UNAVAILABLE: "Authentication is unavailable, please retry later",
  VERIFY_TIMEOUT: "Authentication is unavailable, please retry later",
};

/**
 * Why a request was refused, shaped like the `http-errors` package's errors: `status` for the response,
 * `expose` true because the message is meant for the client, and `code`. Throw one from `verify` to choose
 * the answer: `new CheckExpressNoneAuthError("UNAVAILABLE", undefined, { cause })` is how a real outage says so.
 */
export class CheckExpressNoneAuthError extends Error {
  readonly code: CheckExpressNoneAuthErrorCode;
  readonly status: number;
  readonly statusCode: number;
  readonly expose = true;

  constructor(code: AuthErrorCode, message = messages[code], options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckExpressNoneAuthError";
    this.code = code;
    this.status = statuses[code];
    this.statusCode = this.status;
  }
}

// The error class under a short name, for the code below.
const AuthError = CheckExpressNoneAuthError;
type AuthError = CheckExpressNoneAuthError;

/** The package's name, which its messages start with, and the code of its warning. */
const PACKAGE = "check-express-none-auth";
const NO_VERIFY_CODE = "CHECK_EXPRESS_NONE_AUTH_NO_VERIFY";

/** The property the middleware sets, for requests whose type does not declare it (Express's do). */
interface WithIdentity {
  checkExpressNoneAuth?: unknown;
}

/** Answers a refused request: `(req, res, next, error)`, or `"next"` to pass the error to `next(err)`. */
export type CheckExpressNoneAuthHandler<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = ((req: Req, res: Res, next: (err?: unknown) => void, error: CheckExpressNoneAuthError) => void) | "next";

/** The options of `checkExpressNoneAuth()`: the settings plus the token check. */
export interface CheckExpressNoneAuthOptions<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> extends CheckExpressNoneAuthSettings {
  /**
   * Checks a bearer token. Return (or resolve) a truthy value to accept the request: it is stored on
   * `req.checkExpressNoneAuth`. A falsy value, a throw or a rejection refuses it with 401 `invalid_token`; throw
   * a `CheckExpressNoneAuthError` to choose, `CheckExpressNoneAuthError("UNAVAILABLE")` for a 503 when the check itself is down.
   * @default refuses every token, so that an unconfigured check keeps the door shut
   */
  verify?: (token: string, req: Req) => unknown;
  /**
   * Answers a refused request. By default the middleware answers itself: the status, `WWW-Authenticate` on
   * a 401, and a small JSON body `{ error, code }`. `"next"` passes the `CheckExpressNoneAuthError` to `next(err)`.
   */
  handler?: CheckExpressNoneAuthHandler<Req, Res>;
}

/** The middleware `checkExpressNoneAuth()` returns: for Express 4 and 5, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressNoneAuthMiddleware<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

const OPTION_NAMES: readonly string[] = ["realm", "required", "timeout", "verify", "handler"];

/** `Bearer <token>`, the scheme in any case (RFC 6750); anything else is no bearer token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** A value Node accepts in a header: tab, visible ASCII, space and Latin-1, nothing else. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The longest delay Node's timers keep (2^31 - 1 ms); a longer one fires after 1 ms. */
const MAX_TIMER = 2_147_483_647;

let warnedUnconfigured = false;

/**
 * Creates the middleware: `app.use(checkExpressNoneAuth({ verify }))`, or on the routes it protects. Options are
 * validated here, once, never per request.
 *
 * @example
 * app.use(checkExpressNoneAuth({ verify: async (token) => sessions.findUser(token) }));
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressNoneAuth<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  options?: CheckExpressNoneAuthOptions<Req, Res>,
  // Never given: it makes `app.use(checkExpressNoneAuth)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressNoneAuthMiddleware<Req, Res> {
  // `app.use(checkExpressNoneAuth)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError(
      "check-express-none-auth: checkExpressNoneAuth is a factory: write app.use(checkExpressNoneAuth({ verify })), not app.use(checkExpressNoneAuth)",
    );
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const realm = settings.realm;
  // The realm goes into a response header: a CR, LF or a character beyond Latin-1 would make every refusal throw.
  if (!HEADER_VALUE.test(realm)) throw invalidOption("realm", "text without control characters, in Latin-1", realm);
  const required = settings.required;
  if (!(settings.timeout > 0) || !Number.isFinite(settings.timeout))
    throw invalidOption("timeout", "a positive number of milliseconds", settings.timeout);
  // Node fires a longer timer after 1 ms: hold it to the longest one it keeps (about 24.8 days).
  const timeout = Math.min(settings.timeout, MAX_TIMER);
  const verify = options?.verify ?? refuseUnconfigured;
  if (typeof verify !== "function") throw invalidOption("verify", "a function", verify);
  const handler = options?.handler ?? answer;
  if (typeof handler !== "function" && handler !== "next")
    throw invalidOption("handler", "a function or 'next'", handler);
  if (options?.verify === undefined && !warnedUnconfigured) {
    warnedUnconfigured = true;
    process.emitWarning(`${PACKAGE}: no verify option was given, so every request is refused`, {
      code: NO_VERIFY_CODE,
    });
  }
  const challenge = `Bearer realm="${realm.replace(/["\\]/g, "\\$&")}"`;

  return function checkExpressNoneAuthMiddleware(req, res, next) {
    const refuse = (error: AuthError) => {
      // RFC 6750: a 401 names the scheme and realm, and says why when a token was sent. A response another
      // handler already started keeps its headers: the error still goes on, never a throw.
      if (error.status === 401 && !res.headersSent) {
        res.setHeader(
          "WWW-Authenticate",
          error.code === "MISSING_TOKEN" ? challenge : `${challenge}, error="invalid_token"`,
        );
      }
      if (handler === "next" || res.headersSent) next(error);
      else handler(req, res, next, error);
    };

    const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
    if (token === undefined) {
      if (required) refuse(new AuthError("MISSING_TOKEN"));
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
    const timer = setTimeout(() => settle(() => refuse(new AuthError("VERIFY_TIMEOUT"))), timeout);
    timer.unref();

    // Any throw is a token verify could not accept (expired, forged, garbled): 401. Only the documented
    // signal, a CheckExpressNoneAuthError, chooses otherwise, such as 503 for an outage.
    const failed = (error: unknown) =>
      settle(() =>
        refuse(error instanceof AuthError ? error : new AuthError("INVALID_TOKEN", undefined, { cause: error })),
      );
    let result: unknown;
    try {
      result = verify(token, req);
    } catch (error) {
      failed(error);
      return;
    }
    Promise.resolve(result)
      .then(
        (identity) =>
          settle(() => {
            if (!identity) return refuse(new AuthError("INVALID_TOKEN"));
            const request: Req & WithIdentity = req;
            request.checkExpressNoneAuth = identity;
            next();
          }),
        failed,
      )
      // A throw from a handler or from next() lands here, not in an unhandled rejection that ends the process.
      .catch((error: unknown) => process.emitWarning(error instanceof Error ? error : String(error)));
  };
}

/** The default answer to a refusal: the status and a small JSON body, no stack trace. */
function answer(_req: IncomingMessage, res: ServerResponse, _next: unknown, error: AuthError): void {
  res.statusCode = error.status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify({ error: error.message, code: error.code }));
}

function refuseUnconfigured(): boolean {
  return false;
}

export default checkExpressNoneAuth;
