/**
 * The CommonJS entry point. `require("check-express-typebox")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-typebox")())` and `const { checkExpressTypebox } = require("check-express-typebox")`
 * both work. It loads the ES module with require() (Node 20.19 and later), so both entry points share one
 * module instance.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

const checkExpressTypebox: typeof esm.default & typeof esm = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressTypebox = require(...)`.
declare namespace checkExpressTypebox {
  export type CheckExpressTypeboxOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressTypeboxOptions<Req, Res>;
  export type CheckExpressTypeboxMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressTypeboxMiddleware<Req, Res>;
  export type CheckExpressTypeboxInfo = esm.CheckExpressTypeboxInfo;
  export type CheckExpressTypeboxSettings = esm.CheckExpressTypeboxSettings;
  export type CheckExpressTypeboxResolvedSettings = esm.CheckExpressTypeboxResolvedSettings;
}

export = checkExpressTypebox;
