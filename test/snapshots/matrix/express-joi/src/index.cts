/**
 * The CommonJS entry point. `require("check-express-joi")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-joi")())` and `const { checkExpressJoi } = require("check-express-joi")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkExpressJoi: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressJoi = require(...)`.
declare namespace checkExpressJoi {
  export type CheckExpressJoiOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressJoiOptions<Req, Res>;
  export type CheckExpressJoiMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressJoiMiddleware<Req, Res>;
  export type CheckExpressJoiInfo = esm.CheckExpressJoiInfo;
  export type CheckExpressJoiSettings = esm.CheckExpressJoiSettings;
  export type CheckExpressJoiResolvedSettings = esm.CheckExpressJoiResolvedSettings;
}

export = checkExpressJoi;
