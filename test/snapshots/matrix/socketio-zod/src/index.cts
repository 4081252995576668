/**
 * The CommonJS entry point. `require("check-socketio-zod")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-zod")())` and `const { checkSocketioZod } = require("check-socketio-zod")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioZodError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkSocketioZod: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioZod = require(...)`.
declare namespace checkSocketioZod {
  export type CheckSocketioZodOptions = esm.CheckSocketioZodOptions;
  export type CheckSocketioZodMiddleware = esm.CheckSocketioZodMiddleware;
  export type CheckSocketioZodSocketData<T = unknown> = esm.CheckSocketioZodSocketData<T>;
  export type CheckSocketioZodError = esm.CheckSocketioZodError;
  export type CheckSocketioZodErrorCode = esm.CheckSocketioZodErrorCode;
  export type CheckSocketioZodErrorData = esm.CheckSocketioZodErrorData;
  export type CheckSocketioZodSettings = esm.CheckSocketioZodSettings;
}

export = checkSocketioZod;
