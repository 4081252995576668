/**
 * The CommonJS entry point. `require("check-express-zod-request-id")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-zod-request-id")())` and `const { checkExpressZodRequestId } = require("check-express-zod-request-id")`
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

const checkExpressZodRequestId: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressZodRequestId = require(...)` or `import * as ns from ...`.
declare namespace checkExpressZodRequestId {
  export type CheckExpressZodRequestIdOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressZodRequestIdOptions<Req, Res>;
  export type CheckExpressZodRequestIdMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressZodRequestIdMiddleware<Req, Res>;
  export type CheckExpressZodRequestIdInfo = esm.CheckExpressZodRequestIdInfo;
  export type CheckExpressZodRequestIdSettings = esm.CheckExpressZodRequestIdSettings;
  export type CheckExpressZodRequestIdResolvedSettings = esm.CheckExpressZodRequestIdResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkExpressZodRequestId;
