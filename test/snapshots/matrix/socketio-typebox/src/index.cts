/**
 * The CommonJS entry point. `require("check-socketio-typebox")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-typebox")())` and `const { checkSocketioTypebox } = require("check-socketio-typebox")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioTypeboxError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkSocketioTypebox: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioTypebox = require(...)`.
declare namespace checkSocketioTypebox {
  export type CheckSocketioTypeboxOptions = esm.CheckSocketioTypeboxOptions;
  export type CheckSocketioTypeboxMiddleware = esm.CheckSocketioTypeboxMiddleware;
  export type CheckSocketioTypeboxSocketData<T = unknown> = esm.CheckSocketioTypeboxSocketData<T>;
  export type CheckSocketioTypeboxError = esm.CheckSocketioTypeboxError;
  export type CheckSocketioTypeboxErrorCode = esm.CheckSocketioTypeboxErrorCode;
  export type CheckSocketioTypeboxErrorData = esm.CheckSocketioTypeboxErrorData;
  export type CheckSocketioTypeboxSettings = esm.CheckSocketioTypeboxSettings;
}

export = checkSocketioTypebox;
