/**
 * The CommonJS entry point. `require("check-socketio-joi-blank")` returns the factory, with every named export as a
 * property, so `io.use(require("check-socketio-joi-blank")())` and `const { checkSocketioJoiBlank } = require("check-socketio-joi-blank")`
 * both work. It loads the ES module with require() (Node 22.12 and later), so both entry points share one
 * module instance: `instanceof CheckSocketioJoiBlankError` holds whichever way the error class was loaded.
 */
import type * as esm from "./index.js" with { "resolution-mode": "import" };

const esmBuild: typeof esm = require("./index.js");

// The factory, with the named exports as its properties. Typed as an interface, not as the intersection
// `typeof esm.default & typeof esm`: TypeScript sees no members in an intersection behind `export =` for
// `import * as ns from` the package (it types `ns` as `{}`), and sees an interface's.
type Factory = typeof esm.default;
type NamedExports = typeof esm;
interface Exports extends Factory, NamedExports {}

const checkSocketioJoiBlank: Exports = Object.assign(esmBuild.default, esmBuild);

// The types, for TypeScript code that uses `import checkSocketioJoiBlank = require(...)` or `import * as ns from ...`.
declare namespace checkSocketioJoiBlank {
  export type CheckSocketioJoiBlankOptions = esm.CheckSocketioJoiBlankOptions;
  export type CheckSocketioJoiBlankMiddleware = esm.CheckSocketioJoiBlankMiddleware;
  export type CheckSocketioJoiBlankSettings = esm.CheckSocketioJoiBlankSettings;
  export type CheckSocketioJoiBlankResolvedSettings = esm.CheckSocketioJoiBlankResolvedSettings;
  export type InvalidOptionError = esm.InvalidOptionError;
}

export = checkSocketioJoiBlank;
