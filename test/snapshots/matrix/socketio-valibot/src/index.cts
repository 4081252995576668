/**
 * The CommonJS entry point. `require("check-socketio-valibot")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-valibot")())` and `const { checkSocketioValibot } = require("check-socketio-valibot")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioValibotError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkSocketioValibot: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioValibot = require(...)`.
declare namespace checkSocketioValibot {
  export type CheckSocketioValibotOptions = esm.CheckSocketioValibotOptions;
  export type CheckSocketioValibotMiddleware = esm.CheckSocketioValibotMiddleware;
  export type CheckSocketioValibotSocketData<T = unknown> = esm.CheckSocketioValibotSocketData<T>;
  export type CheckSocketioValibotError = esm.CheckSocketioValibotError;
  export type CheckSocketioValibotErrorCode = esm.CheckSocketioValibotErrorCode;
  export type CheckSocketioValibotErrorData = esm.CheckSocketioValibotErrorData;
  export type CheckSocketioValibotSettings = esm.CheckSocketioValibotSettings;
}

export = checkSocketioValibot;
