/**
 * The CommonJS entry point. `require("check-socketio-none")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-none")())` and `const { checkSocketioNone } = require("check-socketio-none")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioNoneError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkSocketioNone: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioNone = require(...)`.
declare namespace checkSocketioNone {
  export type CheckSocketioNoneOptions = esm.CheckSocketioNoneOptions;
  export type CheckSocketioNoneMiddleware = esm.CheckSocketioNoneMiddleware;
  export type CheckSocketioNoneSocketData<T = unknown> = esm.CheckSocketioNoneSocketData<T>;
  export type CheckSocketioNoneError = esm.CheckSocketioNoneError;
  export type CheckSocketioNoneErrorCode = esm.CheckSocketioNoneErrorCode;
  export type CheckSocketioNoneErrorData = esm.CheckSocketioNoneErrorData;
  export type CheckSocketioNoneSettings = esm.CheckSocketioNoneSettings;
}

export = checkSocketioNone;
