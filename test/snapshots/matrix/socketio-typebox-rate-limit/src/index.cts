/**
 * The CommonJS entry point. `require("check-socketio-typebox-rate-limit")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-typebox-rate-limit")())` and `const { checkSocketioTypeboxRateLimit } = require("check-socketio-typebox-rate-limit")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioTypeboxRateLimitError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

// The factory, with the named exports as its properties. Typed as an interface, not as the intersection
// `typeof esm.default & typeof esm`: TypeScript sees no members in an intersection behind `export =` for
// `import * as ns from` the package (it types `ns` as `{}`), and sees an interface's.
type Factory = typeof esm.default;
type NamedExports = typeof esm;
interface Exports extends Factory, NamedExports {}

const checkSocketioTypeboxRateLimit: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioTypeboxRateLimit = require(...)` or `import * as ns from ...`.
declare namespace checkSocketioTypeboxRateLimit {
  export type CheckSocketioTypeboxRateLimitError = esm.CheckSocketioTypeboxRateLimitError;
  export type CheckSocketioTypeboxRateLimitErrorCode = esm.CheckSocketioTypeboxRateLimitErrorCode;
  export type CheckSocketioTypeboxRateLimitErrorData = esm.CheckSocketioTypeboxRateLimitErrorData;
  export type CheckSocketioTypeboxRateLimitOptions = esm.CheckSocketioTypeboxRateLimitOptions;
  export type CheckSocketioTypeboxRateLimitMiddleware = esm.CheckSocketioTypeboxRateLimitMiddleware;
  export type CheckSocketioTypeboxRateLimitStore = esm.CheckSocketioTypeboxRateLimitStore;
  export type CheckSocketioTypeboxRateLimitHit = esm.CheckSocketioTypeboxRateLimitHit;
  export type CheckSocketioTypeboxRateLimitStoreHit = esm.CheckSocketioTypeboxRateLimitStoreHit;
  export type MemoryStore = esm.MemoryStore;
  export type CheckSocketioTypeboxRateLimitSettings = esm.CheckSocketioTypeboxRateLimitSettings;
  export type CheckSocketioTypeboxRateLimitResolvedSettings = esm.CheckSocketioTypeboxRateLimitResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkSocketioTypeboxRateLimit;
