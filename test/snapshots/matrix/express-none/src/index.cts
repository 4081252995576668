/**
 * The CommonJS entry point. `require("check-express-none")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-none")())` and `const { checkExpressNone } = require("check-express-none")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkExpressNone: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressNone = require(...)`.
declare namespace checkExpressNone {
  export type CheckExpressNoneOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressNoneOptions<Req, Res>;
  export type CheckExpressNoneMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressNoneMiddleware<Req, Res>;
  export type CheckExpressNoneInfo = esm.CheckExpressNoneInfo;
  export type CheckExpressNoneSettings = esm.CheckExpressNoneSettings;
  export type CheckExpressNoneResolvedSettings = esm.CheckExpressNoneResolvedSettings;
}

export = checkExpressNone;
