import type { IncomingMessage, ServerResponse } from "node:http";
import { parseSettings, type CheckExpressNoneBlankSettings } from "./options.js";

export type { CheckExpressNoneBlankResolvedSettings, CheckExpressNoneBlankSettings } from "./options.js";
export { INVALID_OPTION_CODE, type InvalidOptionError } from "./options.js";

/** The options of `checkExpressNoneBlank()`. */
export type CheckExpressNoneBlankOptions = CheckExpressNoneBlankSettings;

/** The middleware `checkExpressNoneBlank()` returns: for Express, or any `(req, res, next)` stack on Node's `http`. */
export type CheckExpressNoneBlankMiddleware<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

const OPTION_NAMES: readonly string[] = ["enabled"];

/**
 * Creates the middleware: `app.use(checkExpressNoneBlank())`. Options are validated here, once, never per request.
 *
 * @throws {TypeError} when an option is unknown or has the wrong type.
 */
export function checkExpressNoneBlank<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  options?: CheckExpressNoneBlankOptions,
  // Never given: it makes `app.use(checkExpressNoneBlank)`, the factory where its middleware belongs, a type error.
  _uncalled?: never,
): CheckExpressNoneBlankMiddleware<Req, Res> {
  // `app.use(checkExpressNoneBlank)` makes Express call the factory with (req, res, next).
  if (arguments.length > 1) {
    throw new TypeError(
      "check-express-none-blank: checkExpressNoneBlank is a factory: write app.use(checkExpressNoneBlank()), not app.use(checkExpressNoneBlank)",
    );
  }
  const settings = parseSettings(options, OPTION_NAMES);

  // `_req` and `_res` are the request and the response: drop the underscores when your code uses them.
  return function checkExpressNoneBlankMiddleware(_req, _res, next) {
    if (!settings.enabled) {
      next();
      return;
    }
    // Your code here. Read `settings`, the request and the response; then call `next()` to pass the request on, or
    // `next(err)` to hand an error to the app's error handler. With async work, catch its rejection and
    // pass it to `next(err)` yourself: Express 4 does not.
    next();
  };
}

export default checkExpressNoneBlank;
