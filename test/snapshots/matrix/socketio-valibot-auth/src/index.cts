/**
 * The CommonJS entry point. `require("check-socketio-valibot-auth")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-valibot-auth")())` and `const { checkSocketioValibotAuth } = require("check-socketio-valibot-auth")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioValibotAuthError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

// The factory, with the named exports as its properties. Typed as an interface, not as the intersection
// `typeof esm.default & typeof esm`: TypeScript sees no members in an intersection behind `export =` for
// `import * as ns from` the package (it types `ns` as `{}`), and sees an interface's.
type Factory = typeof esm.default;
type NamedExports = typeof esm;
interface Exports extends Factory, NamedExports {}

const checkSocketioValibotAuth: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioValibotAuth = require(...)` or `import * as ns from ...`.
declare namespace checkSocketioValibotAuth {
  export type CheckSocketioValibotAuthOptions<S extends import("socket.io").Socket = import("socket.io").Socket> =
    esm.CheckSocketioValibotAuthOptions<S>;
  export type CheckSocketioValibotAuthMiddleware<S extends import("socket.io").Socket = import("socket.io").Socket> =
    esm.CheckSocketioValibotAuthMiddleware<S>;
  export type CheckSocketioValibotAuthSocketData<T = unknown> = esm.CheckSocketioValibotAuthSocketData<T>;
  export type CheckSocketioValibotAuthError = esm.CheckSocketioValibotAuthError;
  export type CheckSocketioValibotAuthErrorCode = esm.CheckSocketioValibotAuthErrorCode;
  export type CheckSocketioValibotAuthErrorData = esm.CheckSocketioValibotAuthErrorData;
  export type CheckSocketioValibotAuthSettings = esm.CheckSocketioValibotAuthSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkSocketioValibotAuth;
