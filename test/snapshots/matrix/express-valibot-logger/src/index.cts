/**
 * The CommonJS entry point. `require("check-express-valibot-logger")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-valibot-logger")())` and `const { checkExpressValibotLogger } = require("check-express-valibot-logger")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

// The factory, with the named exports as its properties. Typed as an interface, not as the intersection
// `typeof esm.default & typeof esm`: TypeScript sees no members in an intersection behind `export =` for
// `import * as ns from` the package (it types `ns` as `{}`), and sees an interface's.
type Factory = typeof esm.default;
type NamedExports = typeof esm;
interface Exports extends Factory, NamedExports {}

const checkExpressValibotLogger: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressValibotLogger = require(...)` or `import * as ns from ...`.
declare namespace checkExpressValibotLogger {
  export type CheckExpressValibotLoggerLogEntry = esm.CheckExpressValibotLoggerLogEntry;
  export type CheckExpressValibotLoggerOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressValibotLoggerOptions<Req, Res>;
  export type CheckExpressValibotLoggerMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressValibotLoggerMiddleware<Req, Res>;
  export type CheckExpressValibotLoggerSettings = esm.CheckExpressValibotLoggerSettings;
  export type CheckExpressValibotLoggerResolvedSettings = esm.CheckExpressValibotLoggerResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkExpressValibotLogger;
