/**
 * The CommonJS entry point. `require("check-express-joi-async-guard")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-joi-async-guard")())` and `const { checkExpressJoiAsyncGuard } = require("check-express-joi-async-guard")`
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

const checkExpressJoiAsyncGuard: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressJoiAsyncGuard = require(...)` or `import * as ns from ...`.
declare namespace checkExpressJoiAsyncGuard {
  export type CheckExpressJoiAsyncGuardError = esm.CheckExpressJoiAsyncGuardError;
  export type CheckExpressJoiAsyncGuardOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressJoiAsyncGuardOptions<Req, Res>;
  export type CheckExpressJoiAsyncGuardHandler<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressJoiAsyncGuardHandler<Req, Res>;
  export type CheckExpressJoiAsyncGuardMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressJoiAsyncGuardMiddleware<Req, Res>;
  export type CheckExpressJoiAsyncGuardSettings = esm.CheckExpressJoiAsyncGuardSettings;
  export type CheckExpressJoiAsyncGuardResolvedSettings = esm.CheckExpressJoiAsyncGuardResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkExpressJoiAsyncGuard;
