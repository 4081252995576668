/**
 * The CommonJS entry point. `require("check-socketio-zod-logger")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-zod-logger")())` and `const { checkSocketioZodLogger } = require("check-socketio-zod-logger")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioZodLoggerError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

// The factory, with the named exports as its properties. Typed as an interface, not as the intersection
// `typeof esm.default & typeof esm`: TypeScript sees no members in an intersection behind `export =` for
// `import * as ns from` the package (it types `ns` as `{}`), and sees an interface's.
type Factory = typeof esm.default;
type NamedExports = typeof esm;
interface Exports extends Factory, NamedExports {}

const checkSocketioZodLogger: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioZodLogger = require(...)` or `import * as ns from ...`.
declare namespace checkSocketioZodLogger {
  export type CheckSocketioZodLoggerLogEntry = esm.CheckSocketioZodLoggerLogEntry;
  export type CheckSocketioZodLoggerOptions = esm.CheckSocketioZodLoggerOptions;
  export type CheckSocketioZodLoggerMiddleware = esm.CheckSocketioZodLoggerMiddleware;
  export type CheckSocketioZodLoggerSettings = esm.CheckSocketioZodLoggerSettings;
  export type CheckSocketioZodLoggerResolvedSettings = esm.CheckSocketioZodLoggerResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkSocketioZodLogger;
