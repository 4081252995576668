/**
 * The CommonJS entry point. `require("check-express-typebox-request-time")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-typebox-request-time")())` and `const { checkExpressTypeboxRequestTime } = require("check-express-typebox-request-time")`
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

const checkExpressTypeboxRequestTime: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressTypeboxRequestTime = require(...)` or `import * as ns from ...`.
declare namespace checkExpressTypeboxRequestTime {
  export type CheckExpressTypeboxRequestTimeOptions = esm.CheckExpressTypeboxRequestTimeOptions;
  export type CheckExpressTypeboxRequestTimeMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressTypeboxRequestTimeMiddleware<Req, Res>;
  export type CheckExpressTypeboxRequestTimeSettings = esm.CheckExpressTypeboxRequestTimeSettings;
  export type CheckExpressTypeboxRequestTimeResolvedSettings = esm.CheckExpressTypeboxRequestTimeResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkExpressTypeboxRequestTime;
