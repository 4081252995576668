import { validateHeaderName, type IncomingMessage, type ServerResponse } from "node:http";
import { invalidOption, parseSettings, type CheckExpressTypeboxRequestTimeSettings } from "./options.js";

export type {
  CheckExpressTypeboxRequestTimeResolvedSettings,
  CheckExpressTypeboxRequestTimeSettings,
} from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";
// The settings as JSON Schema, for documenting or validating a configuration file.
export { settingsSchema } from "./options.js";

declare global {
  namespace Express {
    interface Request {
      /** When the request reached check-express-typebox-request-time, in milliseconds since the epoch. */
      checkExpressTypeboxRequestTime?: number;
    }
  }
}

/** The property the middleware sets, for requests whose type does not declare it (Express's do). */
type ReceivedAt = { checkExpressTypeboxRequestTime?: number };

/** The options of `checkExpressTypeboxRequestTime()`: the settings plus the clock. */
export interface CheckExpressTypeboxRequestTimeOptions extends CheckExpressTypeboxRequestTimeSettings {
  /**
   * The clock, in milliseconds since the epoch. Tests pass their own to get exact times.
   * @default Date.now
   */
  now?: () => number;
}

/** The middleware `checkExpressTypeboxRequestTime()` returns: for Express, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressTypeboxRequestTimeMiddleware<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

const OPTION_NAMES: readonly string[] = ["header", "setHeader", "now"];

/**
 * Creates the middleware: `app.use(checkExpressTypeboxRequestTime())`. Each request gets `req.checkExpressTypeboxRequestTime`, the time it
 * arrived, and its response a X-Response-Time header with the time taken. Options are validated here, once.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressTypeboxRequestTime<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  options?: CheckExpressTypeboxRequestTimeOptions,
  // Never given: it makes `app.use(checkExpressTypeboxRequestTime)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressTypeboxRequestTimeMiddleware<Req, Res> {
  // `app.use(checkExpressTypeboxRequestTime)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError(
      "check-express-typebox-request-time: checkExpressTypeboxRequestTime is a factory: write app.use(checkExpressTypeboxRequestTime()), not app.use(checkExpressTypeboxRequestTime)",
    );
  }
  const settings = parseSettings(options, OPTION_NAMES);
  try {
    validateHeaderName(settings.header);
  } catch {
    throw invalidOption("header", "a valid HTTP header name", settings.header);
  }
  const now = options?.now ?? Date.now;
  if (typeof now !== "function") throw invalidOption("now", "a function", now);

  return function checkExpressTypeboxRequestTimeMiddleware(req, res, next) {
    const receivedAt = now();
    (req as Req & ReceivedAt).checkExpressTypeboxRequestTime = receivedAt;
    if (settings.setHeader) reportDuration(res, settings.header, () => now() - receivedAt);
    next();
  };
}

/**
 * Sets `header` to the time taken just before the response's headers are sent. Node sends them through
 * `res.writeHead`, called explicitly or by the first write or end, so this one call is the place to hook.
 */
function reportDuration(res: ServerResponse, header: string, elapsed: () => number): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
    if (!this.headersSent) this.setHeader(header, `${Math.max(0, elapsed())}ms`);
    return writeHead.apply(this, args);
  } as typeof writeHead;
}

export default checkExpressTypeboxRequestTime;
