/**
 * The CommonJS entry point. `require("check-express-zod")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-zod")())` and `const { checkExpressZod } = require("check-express-zod")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkExpressZod: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressZod = require(...)`.
declare namespace checkExpressZod {
  export type CheckExpressZodOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressZodOptions<Req, Res>;
  export type CheckExpressZodMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressZodMiddleware<Req, Res>;
  export type CheckExpressZodInfo = esm.CheckExpressZodInfo;
  export type CheckExpressZodSettings = esm.CheckExpressZodSettings;
  export type CheckExpressZodResolvedSettings = esm.CheckExpressZodResolvedSettings;
}

export = checkExpressZod;
