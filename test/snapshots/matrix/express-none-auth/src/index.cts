/**
 * The CommonJS entry point. `require("check-express-none-auth")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-none-auth")())` and `const { checkExpressNoneAuth } = require("check-express-none-auth")`
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

const checkExpressNoneAuth: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressNoneAuth = require(...)` or `import * as ns from ...`.
declare namespace checkExpressNoneAuth {
  export type CheckExpressNoneAuthError = esm.CheckExpressNoneAuthError;
  export type CheckExpressNoneAuthErrorCode = esm.CheckExpressNoneAuthErrorCode;
  export type CheckExpressNoneAuthOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressNoneAuthOptions<Req, Res>;
  export type CheckExpressNoneAuthHandler<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressNoneAuthHandler<Req, Res>;
  export type CheckExpressNoneAuthMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressNoneAuthMiddleware<Req, Res>;
  export type CheckExpressNoneAuthSettings = esm.CheckExpressNoneAuthSettings;
  export type CheckExpressNoneAuthResolvedSettings = esm.CheckExpressNoneAuthResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkExpressNoneAuth;
