/**
 * The CommonJS entry point. `require("check-express-zod-rate-limit")` returns the factory, with every named export as a
 * property, so `app.use(require("check-express-zod-rate-limit")())` and `const { checkExpressZodRateLimit } = require("check-express-zod-rate-limit")`
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

const checkExpressZodRateLimit: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkExpressZodRateLimit = require(...)` or `import * as ns from ...`.
declare namespace checkExpressZodRateLimit {
  export type CheckExpressZodRateLimitError = esm.CheckExpressZodRateLimitError;
  export type CheckExpressZodRateLimitOptions<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressZodRateLimitOptions<Req, Res>;
  export type CheckExpressZodRateLimitHandler<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressZodRateLimitHandler<Req, Res>;
  export type CheckExpressZodRateLimitInfo = esm.CheckExpressZodRateLimitInfo;
  export type CheckExpressZodRateLimitStoreHit = esm.CheckExpressZodRateLimitStoreHit;
  export type CheckExpressZodRateLimitMiddleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  > = esm.CheckExpressZodRateLimitMiddleware<Req, Res>;
  export type CheckExpressZodRateLimitStore = esm.CheckExpressZodRateLimitStore;
  export type CheckExpressZodRateLimitHit = esm.CheckExpressZodRateLimitHit;
  export type MemoryStore = esm.MemoryStore;
  export type CheckExpressZodRateLimitSettings = esm.CheckExpressZodRateLimitSettings;
  export type CheckExpressZodRateLimitResolvedSettings = esm.CheckExpressZodRateLimitResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkExpressZodRateLimit;
