/**
 * The CommonJS entry point. `require("check-socketio-joi")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-joi")())` and `const { checkSocketioJoi } = require("check-socketio-joi")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioJoiError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkSocketioJoi: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioJoi = require(...)`.
declare namespace checkSocketioJoi {
  export type CheckSocketioJoiOptions = esm.CheckSocketioJoiOptions;
  export type CheckSocketioJoiMiddleware = esm.CheckSocketioJoiMiddleware;
  export type CheckSocketioJoiSocketData<T = unknown> = esm.CheckSocketioJoiSocketData<T>;
  export type CheckSocketioJoiError = esm.CheckSocketioJoiError;
  export type CheckSocketioJoiErrorCode = esm.CheckSocketioJoiErrorCode;
  export type CheckSocketioJoiErrorData = esm.CheckSocketioJoiErrorData;
  export type CheckSocketioJoiSettings = esm.CheckSocketioJoiSettings;
}

export = checkSocketioJoi;
