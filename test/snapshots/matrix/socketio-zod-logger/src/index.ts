import { performance } from "node:perf_hooks";
import type { ExtendedError, Socket } from "socket.io";
import { invalidOption, parseSettings, type CheckSocketioZodLoggerSettings } from "./options.js";

export type { CheckSocketioZodLoggerResolvedSettings, CheckSocketioZodLoggerSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/** One connection event, as `checkSocketioZodLogger()` logs it. */
export type CheckSocketioZodLoggerLogEntry =
  | {
      /** When it happened, as an ISO 8601 timestamp (UTC). */
      time: string;
      event: "connect";
      /** The socket's id, the same in both lines of a connection. */
      id: string;
      namespace: string;
      /** The client's address, as Socket.IO's handshake saw it. */
      address: string;
      /** "polling" or "websocket": the transport at connection time (polling may upgrade later). */
      transport: string;
    }
  | {
      time: string;
      event: "disconnect";
      id: string;
      namespace: string;
      address: string;
      /** Socket.IO's reason: "client namespace disconnect", "transport close", "ping timeout" ... */
      reason: string;
      /** How long the connection lasted, in milliseconds. */
      durationMs: number;
    };

/** The options of `checkSocketioZodLogger()`: the settings plus where the lines go. */
export interface CheckSocketioZodLoggerOptions extends CheckSocketioZodLoggerSettings {
  /**
   * Receives each line and the entry it was made from. Point it at your logger:
   * `log: (line, entry) => pino.info(entry, line)`.
   * @default writes the line to stdout
   */
  log?: (line: string, entry: CheckSocketioZodLoggerLogEntry) => void;
}

/** A Socket.IO middleware, for `io.use()` and `io.of(namespace).use()`. */
export type CheckSocketioZodLoggerMiddleware = (socket: Socket, next: (err?: ExtendedError) => void) => void;

const optionNames: readonly string[] = ["format", "log"];

// The entry under a short name, for the code below.
type LogEntry = CheckSocketioZodLoggerLogEntry;

/** The package's name, which its messages start with, and the code of its warning. */
const PACKAGE = "check-socketio-zod-logger";
const LOG_FAILED_CODE = "CHECK_SOCKETIO_ZOD_LOGGER_LOG_FAILED";

/**
 * `2026-01-31T09:15:02.120Z connect Kq3... /chat 127.0.0.1 websocket`,
 * `2026-01-31T09:15:07.132Z disconnect Kq3... /chat 127.0.0.1 transport close 5012.3 ms`.
 */
export function formatText(entry: CheckSocketioZodLoggerLogEntry): string {
  const start = `${entry.time} ${entry.event} ${entry.id} ${entry.namespace} ${entry.address}`;
  return entry.event === "connect"
    ? `${start} ${entry.transport}`
    : `${start} ${entry.reason} ${entry.durationMs.toFixed(1)} ms`;
}

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

const misuse =
  "check-socketio-zod-logger: checkSocketioZodLogger was given a socket: it is a factory, write io.use(checkSocketioZodLogger()) instead of io.use(checkSocketioZodLogger)";
const misuseCode = "CHECK_SOCKETIO_ZOD_LOGGER_MISUSE";

function looksLikeSocket(value: unknown): boolean {
  return typeof value === "object" && value !== null && "handshake" in value && "nsp" in value;
}

let warnedMisuse = false;

/**
 * `io.use(checkSocketioZodLogger)` makes Socket.IO call the factory with (socket, next). An error thrown there would be
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
 * Creates the middleware: `io.use(checkSocketioZodLogger())`. It logs one line when a connection to the namespace
 * reaches it and one when that connection ends. Register it after the middleware that may refuse
 * connections (auth, rate limits) to log only accepted ones. Options are validated here, once.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkSocketioZodLogger(options?: CheckSocketioZodLoggerOptions): CheckSocketioZodLoggerMiddleware {
  if (refusedMisuse(options, arguments[1])) return () => {};
  const settings = parseSettings(options, optionNames);
  const log = options?.log ?? writeLine;
  if (typeof log !== "function") throw invalidOption("log", "a function", log);
  const format = settings.format === "json" ? (entry: LogEntry) => JSON.stringify(entry) : formatText;

  // Logging must never cost a connection: a log that throws is reported, and the connection goes on.
  function write(entry: LogEntry): void {
    try {
      log(format(entry), entry);
    } catch (error) {
      process.emitWarning(
        `${PACKAGE}: the log option threw: ${error instanceof Error ? error.message : String(error)}`,
        {
          code: LOG_FAILED_CODE,
        },
      );
    }
  }

  return function checkSocketioZodLoggerMiddleware(socket, next) {
    const started = performance.now();
    const { id } = socket;
    const namespace = socket.nsp.name;
    const address = socket.handshake.address;
    write({
      time: new Date().toISOString(),
      event: "connect",
      id,
      namespace,
      address,
      transport: socket.conn.transport.name,
    });
    socket.once("disconnect", (reason) => {
      write({
        time: new Date().toISOString(),
        event: "disconnect",
        id,
        namespace,
        address,
        reason,
        durationMs: performance.now() - started,
      });
    });
    next();
  };
}

export default checkSocketioZodLogger;
