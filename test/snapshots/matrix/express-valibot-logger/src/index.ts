import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { invalidOption, parseSettings, type CheckExpressValibotLoggerSettings } from "./options.js";

export type { CheckExpressValibotLoggerResolvedSettings, CheckExpressValibotLoggerSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/** One request, as `checkExpressValibotLogger()` logs it once its response is done. */
export interface CheckExpressValibotLoggerLogEntry {
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
export interface CheckExpressValibotLoggerOptions<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>
  extends CheckExpressValibotLoggerSettings {
  /**
   * Receives each line and the entry it was made from. Point it at your logger:
   * `log: (line, entry) => pino.info(entry, line)`.
   * @default writes the line to stdout
   */
  log?: (line: string, entry: CheckExpressValibotLoggerLogEntry) => void;
  /**
   * Return `true` (or a promise of it) to leave a request out of the log. Called once the response is
   * done, so it can look at `res.statusCode`: `skip: (req, res) => res.statusCode < 400` logs only failures.
   * @default logs every request
   */
  skip?: (req: Req, res: Res) => boolean | Promise<boolean>;
}

/** The middleware `checkExpressValibotLogger()` returns: for Express, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressValibotLoggerMiddleware<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
  next: (err?: unknown) => void,
) => void;

const OPTION_NAMES: readonly string[] = ["format", "log", "skip"];

/** `GET /users?page=2 200 3.1 ms`; an aborted request ends with `(aborted)` and has `-` for a status never sent. */
export function formatText(entry: CheckExpressValibotLoggerLogEntry): string {
  const line = `${entry.method} ${entry.url} ${entry.status ?? "-"} ${entry.durationMs.toFixed(1)} ms`;
  return entry.aborted ? `${line} (aborted)` : line;
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
export function checkExpressValibotLogger<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  options?: CheckExpressValibotLoggerOptions<Req, Res>,
  // Never given: it makes `app.use(checkExpressValibotLogger)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressValibotLoggerMiddleware<Req, Res> {
  // `app.use(checkExpressValibotLogger)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError("check-express-valibot-logger: checkExpressValibotLogger is a factory: write app.use(checkExpressValibotLogger()), not app.use(checkExpressValibotLogger)");
  }
  const settings = parseSettings(options, OPTION_NAMES);
  const log = options?.log ?? writeLine;
  if (typeof log !== "function") throw invalidOption("log", "a function", log);
  const skip = options?.skip;
  if (skip !== undefined && typeof skip !== "function") throw invalidOption("skip", "a function", skip);
  const format = settings.format === "json" ? (entry: CheckExpressValibotLoggerLogEntry) => JSON.stringify(entry) : formatText;

  return function checkExpressValibotLoggerMiddleware(req, res, next) {
    const started = performance.now();
    // Routers rewrite req.url as they match; keep what the client asked for.
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";
    const method = req.method ?? "";

    // "close" comes once per response, after it is sent or when the connection drops first: one listener
    // covers both, and res.end is left alone for the other middleware that wrap it.
    res.once("close", () => {
      const entry: CheckExpressValibotLoggerLogEntry = {
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
          Promise.resolve(skipped).then((yes) => {
            if (!yes) log(format(entry), entry);
          }).catch(warnLogFailed);
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
  process.emitWarning(`check-express-valibot-logger: the log or skip option threw: ${error instanceof Error ? error.message : String(error)}`, {
    code: "CHECK_EXPRESS_VALIBOT_LOGGER_LOG_FAILED",
  });
}
