import type { ExtendedError, Socket } from "socket.io";
import { invalidOption, parseSettings, type CheckSocketioTypeboxSettings } from "./options.js";

export type { CheckSocketioTypeboxSettings } from "./options.js";
// The settings as JSON Schema, for documenting or validating a configuration file.
export { settingsSchema } from "./options.js";

/** The options of `checkSocketioTypebox()`: the settings plus the function-valued hooks. */
export interface CheckSocketioTypeboxOptions extends Partial<CheckSocketioTypeboxSettings> {
  /**
   * Checks the credential. Return a truthy value to accept the connection: it is stored on
   * `socket.data.checkSocketioTypebox` for later handlers. Return a falsy value to refuse it; throw or reject to
   * refuse it with your error (a `CheckSocketioTypeboxError` is sent as is, any other error becomes `VERIFY_FAILED`).
   *
   * Default: accepts any non-empty credential and stores it.
   */
  verify?: (credential: string, socket: Socket) => unknown;
}

/** What `checkSocketioTypebox()` stores on `socket.data`. Extend your `SocketData` type with it. */
export interface CheckSocketioTypeboxSocketData<T = unknown> {
  /** The value returned by `verify`; `undefined` when an optional credential was absent. */
  checkSocketioTypebox?: T;
}

/** A Socket.IO middleware, for `io.use()` and `io.of(namespace).use()`. */
export type CheckSocketioTypeboxMiddleware = (socket: Socket, next: (err?: ExtendedError) => void) => void;

/** Why a connection was refused. */
export type CheckSocketioTypeboxErrorCode =
  /** No credential in `socket.handshake.auth` and `required` is true. */
  | "MISSING_CREDENTIAL"
  /** The credential is not a string, or `verify` returned a falsy value. */
  | "INVALID_CREDENTIAL"
  /** `verify` threw or rejected. */
  | "VERIFY_FAILED";

/** The `data` of a refusal, sent to the client with the `connect_error` event. */
export interface CheckSocketioTypeboxErrorData {
  /** Machine-readable reason. */
  code: CheckSocketioTypeboxErrorCode;
  /** A message that can be shown to the user. */
  message: string;
}

const errorCodes: readonly string[] = ["MISSING_CREDENTIAL", "INVALID_CREDENTIAL", "VERIFY_FAILED"];

const defaultHints: Record<CheckSocketioTypeboxErrorCode, string> = {
  MISSING_CREDENTIAL: "Please sign in and retry",
  INVALID_CREDENTIAL: "Please sign in again",
  VERIFY_FAILED: "Please retry later",
};

/** The error passed to `next(err)` when a connection is refused. */
export class CheckSocketioTypeboxError extends Error {
  /** Sent to the client: `connect_error` receives `err.message` and `err.data`. */
  readonly data: CheckSocketioTypeboxErrorData;

  constructor(code: CheckSocketioTypeboxErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckSocketioTypeboxError";
    this.data = { code, message: options?.hint ?? defaultHints[code] };
  }
}

/**
 * Whether `value` is a refusal by `checkSocketioTypebox()`: the `CheckSocketioTypeboxError` on the server, or the error that the
 * client's `connect_error` event receives (which carries the same `message` and `data`).
 */
export function isCheckSocketioTypeboxError(value: unknown): value is Error & { readonly data: CheckSocketioTypeboxErrorData } {
  if (!(value instanceof Error)) return false;
  const data: unknown = (value as { data?: unknown }).data;
  if (typeof data !== "object" || data === null) return false;
  const { code, message } = data as Record<string, unknown>;
  return typeof code === "string" && errorCodes.includes(code) && typeof message === "string";
}

const optionNames: readonly string[] = ["authField", "required", "verify"];

const misuse =
  "check-socketio-typebox: checkSocketioTypebox was given a socket: it is a factory, write io.use(checkSocketioTypebox()) instead of io.use(checkSocketioTypebox)";

function looksLikeSocket(value: unknown): boolean {
  return typeof value === "object" && value !== null && "handshake" in value && "nsp" in value;
}

/**
 * Creates the middleware. Options are validated here, once.
 *
 * @example
 * io.use(checkSocketioTypebox({ verify: async (token) => findUserByToken(token) }));
 * @throws {TypeError} when an option is unknown or of the wrong type.
 */
export function checkSocketioTypebox(options?: CheckSocketioTypeboxOptions): CheckSocketioTypeboxMiddleware {
  // `io.use(checkSocketioTypebox)`: Socket.IO calls the factory with (socket, next). Socket.IO swallows an error
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

  const { authField, required } = parseSettings(options, optionNames);
  const verify = options?.verify ?? ((credential: string): unknown => credential);
  if (typeof verify !== "function") throw invalidOption("verify", "a function", verify);

  return function checkSocketioTypeboxMiddleware(socket, next) {
    const auth: Record<string, unknown> = socket.handshake.auth ?? {};
    const credential = Object.hasOwn(auth, authField) ? auth[authField] : undefined;
    if (credential === undefined || credential === null || credential === "") {
      if (!required) return next();
      return next(new CheckSocketioTypeboxError("MISSING_CREDENTIAL", `check-socketio-typebox: no credential in handshake auth "${authField}"`));
    }
    if (typeof credential !== "string") {
      return next(new CheckSocketioTypeboxError("INVALID_CREDENTIAL", `check-socketio-typebox: the credential in "${authField}" is not a string`));
    }

    // Every path ends in exactly one call to next: a throwing or rejecting verify refuses the
    // connection instead of leaving it waiting.
    let result: unknown;
    try {
      result = verify(credential, socket);
    } catch (error) {
      return next(refusal(error));
    }
    Promise.resolve(result).then(
      (value) => {
        if (!value) return next(new CheckSocketioTypeboxError("INVALID_CREDENTIAL", "check-socketio-typebox: the credential was rejected"));
        (socket.data as CheckSocketioTypeboxSocketData).checkSocketioTypebox = value;
        next();
      },
      (error: unknown) => next(refusal(error)),
    );
  };
}

function refusal(error: unknown): CheckSocketioTypeboxError {
  if (error instanceof CheckSocketioTypeboxError) return error;
  // The client receives err.message and err.data: keep the cause (it may hold internals) on the server.
  return new CheckSocketioTypeboxError("VERIFY_FAILED", "check-socketio-typebox: the credential could not be verified", { cause: error });
}

let warned = false;
function warnMisuseOnce(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(misuse, { code: "CHECK_SOCKETIO_TYPEBOX_MISUSE" });
}

export default checkSocketioTypebox;
