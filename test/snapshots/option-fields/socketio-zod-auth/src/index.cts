/**
 * The CommonJS entry point. `require("check-socketio-zod-auth")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-zod-auth")())` and `const { checkSocketioZodAuth } = require("check-socketio-zod-auth")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioZodAuthError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

// The factory, with the named exports as its properties. Typed as an interface, not as the intersection
// `typeof esm.default & typeof esm`: TypeScript sees no members in an intersection behind `export =` for
// `import * as ns from` the package (it types `ns` as `{}`), and sees an interface's.
type Factory = typeof esm.default;
type NamedExports = typeof esm;
interface Exports extends Factory, NamedExports {}

const checkSocketioZodAuth: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioZodAuth = require(...)` or `import * as ns from ...`.
declare namespace checkSocketioZodAuth {
  export type CheckSocketioZodAuthOptions<S extends import("socket.io").Socket = import("socket.io").Socket> =
    esm.CheckSocketioZodAuthOptions<S>;
  export type CheckSocketioZodAuthMiddleware<S extends import("socket.io").Socket = import("socket.io").Socket> =
    esm.CheckSocketioZodAuthMiddleware<S>;
  export type CheckSocketioZodAuthSocketData<T = unknown> = esm.CheckSocketioZodAuthSocketData<T>;
  export type CheckSocketioZodAuthError = esm.CheckSocketioZodAuthError;
  export type CheckSocketioZodAuthErrorCode = esm.CheckSocketioZodAuthErrorCode;
  export type CheckSocketioZodAuthErrorData = esm.CheckSocketioZodAuthErrorData;
  export type CheckSocketioZodAuthSettings = esm.CheckSocketioZodAuthSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkSocketioZodAuth;
