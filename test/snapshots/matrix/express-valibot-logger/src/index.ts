import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { invalidOption, parseSettings, type CheckExpressValibotLoggerSettings } from "./options.js";

export type { CheckExpressValibotLoggerResolvedSettings, CheckExpressValibotLoggerSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/** One request, as `checkExpressValibotLogger()` logs it once its response is done. */
export interface CheckExpressValibotLoggerLogEntry {
  /** When the request reached the middleware, as an ISO 8601 timestamp (UTC). */
  time: string;
  /** The client's address (`req.ip` under Express, so `trust proxy` applies); `null` once the socket is gone. */
  remoteAddress: string | null;
  /** The request's id when one was set (`req.id`, or the `X-Request-Id` response header); otherwise `null`. */
  requestId: string | null;
  method: string;
  /** The URL as the client sent it (`req.originalUrl` under Express). */
  url: string;
  /** The response's status code; `null` when the client went away before a response was started. */
  status: number | null;
  /** Milliseconds from the request reaching the middleware to the response ending. */
  durationMs: number;
  /** True when the connection closed before the response was complete. */
  aborted: boolean;
}

/**
 * The options of `checkExpressValibotLogger()`: the settings plus the function-valued hooks. `Req` and `Res` are the
 * request and response types the hooks receive: Node's own by default; annotate a hook's parameters
 * (`(req: Request) => ...`) to get Express's.
 */
export interface CheckExpressValibotLoggerOptions<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> extends CheckExpressValibotLoggerSettings {
  /**
   * Where each request goes: a function that receives the line and the entry it was made from, or a
   * logger with an `info(object, message)` method (a `pino` logger, or anything shaped like it), which
   * gets the entry and the line.
   * @default writes the line to stdout
   */
  log?: ((line: string, entry: CheckExpressValibotLoggerLogEntry) => void) | CheckExpressValibotLoggerDestination;
  /**
   * Return `true` (or a promise of it) to leave a request out of the log. Called once the response is
   * done, so it can look at `res.statusCode`: `skip: (req, res) => res.statusCode < 400` logs only failures.
   * @default logs every request
   */
  skip?: (req: Req, res: Res) => boolean | Promise<boolean>;
}

/** A logger the entries can go to: `pino()`, or any object with an `info(object, message)` method. */
export interface CheckExpressValibotLoggerDestination {
  info(entry: CheckExpressValibotLoggerLogEntry, line: string): unknown;
}

// The entry and the destination under short names, for the code below.
type LogEntry = CheckExpressValibotLoggerLogEntry;
type Destination = CheckExpressValibotLoggerDestination;

/** The package's name, which its messages start with, and the code of its warning. */
const PACKAGE = "check-express-valibot-logger";
const LOG_FAILED_CODE = "CHECK_EXPRESS_VALIBOT_LOGGER_LOG_FAILED";

/** The middleware `checkExpressValibotLogger()` returns: for Express, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressValibotLoggerMiddleware<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

const OPTION_NAMES: readonly string[] = ["format", "log", "skip"];

/**
 * `2026-01-31T09:15:02.120Z 203.0.113.9 GET /users?page=2 200 3.1 ms [a1b2-...]`: `-` for an address or a
 * status that is not known, the request id in brackets when there is one, and `(aborted)` at the end of a
 * request the client gave up on.
 */
export function formatText(entry: CheckExpressValibotLoggerLogEntry): string {
  let line = `${entry.time} ${entry.remoteAddress ?? "-"} ${entry.method} ${entry.url} ${entry.status ?? "-"} ${entry.durationMs.toFixed(1)} ms`;
  if (entry.requestId !== null) line += ` [${entry.requestId}]`;
  return entry.aborted ? `${line} (aborted)` : line;
}

/** The id another middleware gave the request: `req.id` (pino-http, express-request-id) or the X-Request-Id response header. */
function requestIdOf(req: IncomingMessage, res: ServerResponse): string | null {
  const id: unknown = (req as { id?: unknown }).id ?? res.getHeader("x-request-id");
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Creates the middleware: `app.use(checkExpressValibotLogger())`, before the routes it should log. Options are
 * validated here, once, never per request.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressValibotLogger<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  options?: CheckExpressValibotLoggerOptions<Req, Res>,
  // Never given: it makes `app.use(checkExpressValibotLogger)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressValibotLoggerMiddleware<Req, Res> {
  // `app.use(checkExpressValibotLogger)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError(
      "check-express-valibot-logger: checkExpressValibotLogger is a factory: write app.use(checkExpressValibotLogger()), not app.use(checkExpressValibotLogger)",
    );
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const destination = options?.log ?? writeLine;
  if (typeof destination !== "function" && typeof (destination as Partial<Destination> | null)?.info !== "function") {
    throw invalidOption("log", "a function or a logger with an info method", destination);
  }
  const log =
    typeof destination === "function"
      ? destination
      : (line: string, entry: LogEntry) => void destination.info(entry, line);
  const skip = options?.skip;
  if (skip !== undefined && typeof skip !== "function") throw invalidOption("skip", "a function", skip);
  const format = settings.format === "json" ? (entry: LogEntry) => JSON.stringify(entry) : formatText;

  return function checkExpressValibotLoggerMiddleware(req, res, next) {
    const started = performance.now();
    const time = Date.now();
    // Routers rewrite req.url as they match; keep what the client asked for.
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";
    const method = req.method ?? "";

    // "close" comes once per response, after it is sent or when the connection drops first: one listener
    // covers both, and res.end is left alone for the other middleware that wrap it.
    res.once("close", () => {
      const entry: LogEntry = {
        time: new Date(time).toISOString(),
        remoteAddress: (req as { ip?: string }).ip ?? req.socket?.remoteAddress ?? null,
        requestId: requestIdOf(req, res),
        method,
        url,
        status: res.headersSent ? res.statusCode : null,
        durationMs: performance.now() - started,
        aborted: !res.writableFinished,
      };
      // The response is gone: a throw here would crash the server from an event handler, so report it.
      try {
        const skipped = skip?.(req, res);
        // An async skip is waited for; a plain boolean logs at once.
        if (isThenable(skipped)) {
          Promise.resolve(skipped)
            .then((yes) => {
              if (!yes) log(format(entry), entry);
            })
            .catch(warnLogFailed);
          return;
        }
        if (skipped) return;
        log(format(entry), entry);
      } catch (error) {
        warnLogFailed(error);
      }
    });
    next();
  };
}

export default checkExpressValibotLogger;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

function warnLogFailed(error: unknown): void {
  process.emitWarning(
    `${PACKAGE}: the log or skip option threw: ${error instanceof Error ? error.message : String(error)}`,
    {
      code: LOG_FAILED_CODE,
    },
  );
}
