/**
 * The CommonJS entry point. `require("check-socketio-zod-logger")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-zod-logger")())` and `const { checkSocketioZodLogger } = require("check-socketio-zod-logger")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioZodLoggerError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkSocketioZodLogger: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioZodLogger = require(...)`.
declare namespace checkSocketioZodLogger {
  export type CheckSocketioZodLoggerLogEntry = esm.CheckSocketioZodLoggerLogEntry;
  export type CheckSocketioZodLoggerOptions = esm.CheckSocketioZodLoggerOptions;
  export type CheckSocketioZodLoggerMiddleware = esm.CheckSocketioZodLoggerMiddleware;
  export type CheckSocketioZodLoggerSettings = esm.CheckSocketioZodLoggerSettings;
  export type CheckSocketioZodLoggerResolvedSettings = esm.CheckSocketioZodLoggerResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkSocketioZodLogger;
