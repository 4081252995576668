/**
 * The CommonJS entry point. `require("check-express-valibot")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-valibot")())` and `const { checkExpressValibot } = require("check-express-valibot")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkExpressValibot: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressValibot = require(...)`.
declare namespace checkExpressValibot {
  export type CheckExpressValibotOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressValibotOptions<Req, Res>;
  export type CheckExpressValibotMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressValibotMiddleware<Req, Res>;
  export type CheckExpressValibotInfo = esm.CheckExpressValibotInfo;
  export type CheckExpressValibotSettings = esm.CheckExpressValibotSettings;
  export type CheckExpressValibotResolvedSettings = esm.CheckExpressValibotResolvedSettings;
}

export = checkExpressValibot;
