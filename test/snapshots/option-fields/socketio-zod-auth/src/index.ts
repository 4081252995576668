import type { ExtendedError, Socket } from "socket.io";
import { invalidOption, parseSettings, type CheckSocketioZodAuthSettings } from "./options.js";

export type { CheckSocketioZodAuthSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/**
 * The options of `checkSocketioZodAuth()`: the settings plus the function-valued hooks. `S` is your socket type
 * (a typed `Socket<...>` fits), inferred from `verify`'s parameter.
 */
export interface CheckSocketioZodAuthOptions<S extends Socket = Socket> extends Partial<CheckSocketioZodAuthSettings> {
  /**
   * Checks the credential. Return a truthy value to accept the connection: it is stored on
   * `socket.data.checkSocketioZodAuth` for later handlers. A falsy value, a throw or a rejection refuses it with
   * `INVALID_CREDENTIAL` (an expired or forged token); throw a `CheckSocketioZodAuthError` to choose, such as
   * `UNAVAILABLE` when the check itself is down. An answer that takes longer than
   * 5 seconds refuses the connection with `VERIFY_TIMEOUT`.
   *
   * Default: refuses every credential, so that a check nobody wired up keeps the door shut.
   */
  verify?: (credential: string, socket: S) => unknown;
  /**
   * Called on the server with every refusal, before the client is told: `error.cause` holds what `verify`
   * threw, which the client never sees. For your logs; what it throws becomes a process warning.
   * Default: none.
   */
  onError?: (error: CheckSocketioZodAuthError, socket: S) => void;
}

/** What `checkSocketioZodAuth()` stores on `socket.data`. Extend your `SocketData` type with it. */
export interface CheckSocketioZodAuthSocketData<T = unknown> {
  /** The value returned by `verify`; `undefined` when an optional credential was absent. */
  checkSocketioZodAuth?: T;
}

/** A Socket.IO middleware, for `io.use()` and `io.of(namespace).use()`. */
export type CheckSocketioZodAuthMiddleware<S extends Socket = Socket> = (
  socket: S,
  next: (err?: ExtendedError) => void,
) => void;

/** Why a connection was refused. */
export type CheckSocketioZodAuthErrorCode =
  /** No credential in `socket.handshake.auth.token`. */
  | "MISSING_CREDENTIAL"
  /** The credential is not a string, or `verify` returned a falsy value, threw or rejected. */
  | "INVALID_CREDENTIAL"
  /** `verify` threw a `CheckSocketioZodAuthError("UNAVAILABLE", ...)`: the check itself could not run. */
  | "UNAVAILABLE"
  /** `verify` did not answer in time. */
  | "VERIFY_TIMEOUT";

/** The `data` of a refusal, sent to the client with the `connect_error` event. */
export interface CheckSocketioZodAuthErrorData {
  /** Machine-readable reason. */
  code: CheckSocketioZodAuthErrorCode;
  /** A message that can be shown to the user. */
  message: string;
}

const errorCodes: readonly string[] = ["MISSING_CREDENTIAL", "INVALID_CREDENTIAL", "UNAVAILABLE", "VERIFY_TIMEOUT"];

const defaultHints: Record<CheckSocketioZodAuthErrorCode, string> = {
  MISSING_CREDENTIAL: "Please sign in and retry",
  INVALID_CREDENTIAL: "Please sign in again",
  UNAVAILABLE: "Please retry later",
  VERIFY_TIMEOUT: "Please retry later",
};

type AuthErrorCode = CheckSocketioZodAuthErrorCode;

/** The error passed to `next(err)` when a connection is refused. */
export class CheckSocketioZodAuthError extends Error {
  /** Sent to the client: `connect_error` receives `err.message` and `err.data`. */
  readonly data: CheckSocketioZodAuthErrorData;

  constructor(code: AuthErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckSocketioZodAuthError";
    this.data = { code, message: options?.hint ?? defaultHints[code] };
  }
}

/**
 * Whether `value` is a refusal by `checkSocketioZodAuth()`: the `CheckSocketioZodAuthError` on the server, or the error that the
 * client's `connect_error` event receives (which carries the same `message` and `data`).
 */
export function isCheckSocketioZodAuthError(
  value: unknown,
): value is Error & { readonly data: CheckSocketioZodAuthErrorData } {
  if (!(value instanceof Error)) return false;
  const data: unknown = (value as { data?: unknown }).data;
  if (typeof data !== "object" || data === null) return false;
  const { code, message } = data as Record<string, unknown>;
  return typeof code === "string" && errorCodes.includes(code) && typeof message === "string";
}

const optionNames: readonly string[] = ["level", "tags", "verify", "onError"];

const misuse =
  "check-socketio-zod-auth: checkSocketioZodAuth was given a socket: it is a factory, write io.use(checkSocketioZodAuth()) instead of io.use(checkSocketioZodAuth)";

// The error class and the socket data under short names, for the code below.
const AuthError = CheckSocketioZodAuthError;
type AuthError = CheckSocketioZodAuthError;
type SocketData = CheckSocketioZodAuthSocketData;

/** The package's name, which its messages start with, and the codes of its warnings. */
const PACKAGE = "check-socketio-zod-auth";
const NO_VERIFY_CODE = "CHECK_SOCKETIO_ZOD_AUTH_NO_VERIFY";
const MISUSE_CODE = "CHECK_SOCKETIO_ZOD_AUTH_MISUSE";

function looksLikeSocket(value: unknown): boolean {
  return typeof value === "object" && value !== null && "handshake" in value && "nsp" in value;
}

/**
 * Creates the middleware. Options are validated here, once.
 *
 * @example
 * io.use(checkSocketioZodAuth({ verify: async (token) => findUserByToken(token) }));
 * @throws {TypeError} when an option is unknown or of the wrong type.
 */
export function checkSocketioZodAuth<S extends Socket = Socket>(
  options?: CheckSocketioZodAuthOptions<S>,
): CheckSocketioZodAuthMiddleware<S> {
  // `io.use(checkSocketioZodAuth)`: Socket.IO calls the factory with (socket, next). Socket.IO swallows an error
  // thrown by a middleware and drops the connection silently, so refuse through `next` instead: the
  // client's connect_error then says what to fix.
  if (looksLikeSocket(options) || typeof arguments[1] === "function") {
    const error = new TypeError(misuse);
    const next: unknown = arguments[1];
    if (typeof next !== "function") throw error;
    warnMisuseOnce();
    (next as (err: Error) => void)(error);
    return () => {};
  }

  // Validates the options once: keep its result (`const settings = parseSettings(...)`) to read your own,
  // `level`, `tags`.
  parseSettings(options, optionNames);
  const authField = "token";
  const timeout = 5000;
  const verify = options?.verify ?? refuseUnconfigured;
  if (typeof verify !== "function") throw invalidOption("verify", "a function", verify);
  if (options?.verify === undefined) warnUnconfiguredOnce();
  const onError = options?.onError;
  if (onError !== undefined && typeof onError !== "function") throw invalidOption("onError", "a function", onError);

  return function checkSocketioZodAuthMiddleware(socket, next) {
    const refuse = (error: AuthError) => {
      try {
        onError?.(error, socket);
      } catch (hookError) {
        // The refusal still goes out; a broken log hook must not leave the client waiting.
        process.emitWarning(hookError instanceof Error ? hookError : String(hookError));
      }
      next(error);
    };
    const auth: Record<string, unknown> = socket.handshake.auth ?? {};
    const credential = Object.hasOwn(auth, authField) ? auth[authField] : undefined;
    if (credential === undefined || credential === null || credential === "") {
      return refuse(new AuthError("MISSING_CREDENTIAL", `${PACKAGE}: no credential in handshake auth "${authField}"`));
    }
    if (typeof credential !== "string") {
      return refuse(
        new AuthError("INVALID_CREDENTIAL", `${PACKAGE}: the credential in "${authField}" is not a string`),
      );
    }

    // Every path ends in exactly one call to next, and in bounded time: a middleware that never calls next
    // leaves the client waiting, so verify's answer races a deadline and whichever comes first decides.
    let settled = false;
    const settle = (error?: AuthError) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) refuse(error);
      else next();
    };
    const deadline = setTimeout(
      () => settle(new AuthError("VERIFY_TIMEOUT", `${PACKAGE}: verify did not answer within ${timeout} ms`)),
      timeout,
    );
    // A pending check does not keep the process alive on its own, e.g. while the server shuts down.
    deadline.unref();

    let result: unknown;
    try {
      result = verify(credential, socket);
    } catch (error) {
      settle(refusal(error));
      return;
    }
    Promise.resolve(result)
      .then(
        (value) => {
          if (settled) return;
          if (!value) return settle(new AuthError("INVALID_CREDENTIAL", `${PACKAGE}: the credential was rejected`));
          (socket.data as SocketData).checkSocketioZodAuth = value;
          settle();
        },
        (error: unknown) => settle(refusal(error)),
      )
      // Nothing thrown after verify's answer may become an unhandled rejection that ends the process.
      .catch((error: unknown) => process.emitWarning(error instanceof Error ? error : String(error)));
  };
}

/** The default verify: with no check wired up, no credential is good enough. */
function refuseUnconfigured(): boolean {
  return false;
}

let warnedUnconfigured = false;
function warnUnconfiguredOnce(): void {
  if (warnedUnconfigured) return;
  warnedUnconfigured = true;
  process.emitWarning(`${PACKAGE}: no verify option was given, so every credential is refused`, {
    code: NO_VERIFY_CODE,
  });
}

function refusal(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  // A throw is a credential verify could not accept (expired, forged, garbled); an outage is only what
  // verify says is one. The client receives err.message and err.data: the cause (it may hold internals)
  // stays on the server, for onError.
  return new AuthError("INVALID_CREDENTIAL", `${PACKAGE}: the credential was rejected`, { cause: error });
}

let warned = false;
function warnMisuseOnce(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(misuse, { code: MISUSE_CODE });
}

export default checkSocketioZodAuth;
