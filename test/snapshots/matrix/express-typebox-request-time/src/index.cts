/**
 * The CommonJS entry point. `require("check-express-typebox-request-time")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-typebox-request-time")())` and `const { checkExpressTypeboxRequestTime } = require("check-express-typebox-request-time")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkExpressTypeboxRequestTime: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressTypeboxRequestTime = require(...)`.
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
