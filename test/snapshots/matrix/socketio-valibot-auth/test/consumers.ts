// The package as users get it: `npm pack` makes the tarball, which is installed into throwaway CommonJS,
// ES module and TypeScript (nodenext, node16, commonjs, bundler; checked with this package's TypeScript and the
// oldest one the README promises) projects that load it and use it. It is the
// `test:consumers` script: it installs from the npm registry (or its cache), so it is not part of `test`.
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "check-socketio-valibot-auth";
const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as {
  peerDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The oldest TypeScript the README promises; the TypeScript projects are checked with it too. */
const OLDEST_TYPESCRIPT = "5.7";

/**
 * What the consumers install beside the tarball: the peers, their types, TypeScript and Node's types, at
 * the versions this package develops against, and the oldest TypeScript under another name.
 */
function consumerDependencies(): string[] {
  const peers = Object.keys(manifest.peerDependencies ?? {});
  const wanted = [...peers, ...peers.map((name) => `@types/${name}`), "typescript", "@types/node"];
  return wanted
    .filter((name) => manifest.devDependencies[name] !== undefined)
    .map((name) => `${name}@${manifest.devDependencies[name]}`)
    .concat(`typescript-oldest@npm:typescript@~${OLDEST_TYPESCRIPT}.0`);
}

/** Runs a command; a failure's message carries what it printed (tsc reports its errors on stdout). */
function run(command: string, cwd: string): string {
  try {
    return execSync(command, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

/** Writes `files` (path -> content) under `directory`. */
function writeProject(directory: string, files: Record<string, unknown>): string {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(directory, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return directory;
}

// The code each consumer runs: load the package both ways it allows, create the middleware, hand it to
// Socket.IO. `import` and `require` forms are the ones the README shows.
const useMiddleware = (middleware: string) => `
assert.equal(typeof ${middleware}, "function");
new Server().use(${middleware});
`;
const esmSource = `import assert from "node:assert/strict";
import { Server } from "socket.io";
import checkSocketioValibotAuthDefault, { checkSocketioValibotAuth } from ${JSON.stringify(PACKAGE_NAME)};

assert.equal(checkSocketioValibotAuthDefault, checkSocketioValibotAuth);
const middleware = checkSocketioValibotAuth();
${useMiddleware("middleware")}
console.log("ok");
`;
const commonJsSource = `const assert = require("node:assert/strict");
const { Server } = require("socket.io");
const { checkSocketioValibotAuth } = require(${JSON.stringify(PACKAGE_NAME)});

assert.equal(require(${JSON.stringify(PACKAGE_NAME)}), checkSocketioValibotAuth);
assert.equal(require(${JSON.stringify(PACKAGE_NAME)}).INVALID_OPTION_CODE, "ERR_CHECK_SOCKETIO_VALIBOT_AUTH_INVALID_OPTION");
const middleware = require(${JSON.stringify(PACKAGE_NAME)})();
${useMiddleware("middleware")}
console.log("ok");
`;
// TypeScript's CommonJS forms: `import x = require()` and `import * as ns from` are typed, `const x = require()`
// is not. The namespace import sees the named exports and the types.
const typeScriptCommonJsSource = `import assert = require("node:assert/strict");
import socketIo = require("socket.io");
const { Server } = socketIo;
import checkSocketioValibotAuth = require(${JSON.stringify(PACKAGE_NAME)});
import * as ns from ${JSON.stringify(PACKAGE_NAME)};

const { checkSocketioValibotAuth: named } = checkSocketioValibotAuth;
assert.equal(named, checkSocketioValibotAuth);
assert.equal(ns.checkSocketioValibotAuth, checkSocketioValibotAuth);
const options: ns.CheckSocketioValibotAuthOptions = {};
assert.equal(typeof ns.checkSocketioValibotAuth(options), "function");
const middleware: checkSocketioValibotAuth.CheckSocketioValibotAuthMiddleware = checkSocketioValibotAuth();
${useMiddleware("middleware")}
console.log("ok");
`;
const typeScriptEsmSource = `import assert from "node:assert/strict";
import { Server } from "socket.io";
import checkSocketioValibotAuthDefault, { checkSocketioValibotAuth, type CheckSocketioValibotAuthMiddleware } from ${JSON.stringify(PACKAGE_NAME)};

assert.equal(checkSocketioValibotAuthDefault, checkSocketioValibotAuth);
const middleware: CheckSocketioValibotAuthMiddleware = checkSocketioValibotAuth();
${useMiddleware("middleware")}
console.log("ok");
`;

function typeScriptProject(module: "nodenext" | "node16"): Record<string, unknown> {
  return {
    "package.json": { private: true, type: "commonjs" },
    "tsconfig.json": {
      compilerOptions: { module, strict: true, outDir: "out", types: ["node"], skipLibCheck: false },
      files: ["index.cts", "index.mts"],
    },
    "index.cts": typeScriptCommonJsSource,
    "index.mts": typeScriptEsmSource,
  };
}

describe("the packed tarball", () => {
  let workspace: string;
  let tsc: string;
  let oldestTsc: string;

  before(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), "consumers-"));
    const [packed] = JSON.parse(
      run(`npm pack --json --pack-destination ${JSON.stringify(workspace)}`, packageRoot),
    ) as Array<{ filename: string }>;
    assert.ok(packed, "npm pack made a tarball");
    const tarball = path.join(workspace, packed.filename);
    writeProject(workspace, { "package.json": { private: true } });
    const dependencies = consumerDependencies()
      .map((spec) => JSON.stringify(spec))
      .join(" ");
    run(`npm install --no-audit --no-fund --no-package-lock ${JSON.stringify(tarball)} ${dependencies}`, workspace);
    tsc = JSON.stringify(path.join(workspace, "node_modules", "typescript", "bin", "tsc"));
    oldestTsc = JSON.stringify(path.join(workspace, "node_modules", "typescript-oldest", "bin", "tsc"));
  });

  after(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it("works from CommonJS: require(pkg)() and const { named } = require(pkg)", () => {
    const project = writeProject(path.join(workspace, "cjs"), {
      "package.json": { type: "commonjs" },
      "index.js": commonJsSource,
    });
    assert.equal(run("node index.js", project).trim(), "ok");
  });

  it("works from an ES module: the default and the named import", () => {
    const project = writeProject(path.join(workspace, "esm"), {
      "package.json": { type: "module" },
      "index.js": esmSource,
    });
    assert.equal(run("node index.js", project).trim(), "ok");
  });

  for (const module of ["nodenext", "node16"] as const) {
    it(`works from TypeScript with module ${module}, from CommonJS and ES module files (TypeScript ${OLDEST_TYPESCRIPT} too)`, () => {
      const project = writeProject(path.join(workspace, `ts-${module}`), typeScriptProject(module));
      run(`node ${tsc} -p .`, project);
      run(`node ${oldestTsc} -p . --noEmit`, project);
      assert.equal(run("node out/index.cjs", project).trim(), "ok");
      assert.equal(run("node out/index.mjs", project).trim(), "ok");
    });
  }

  it(`works from TypeScript with module commonjs, through import = require and import * as (TypeScript ${OLDEST_TYPESCRIPT} too)`, () => {
    const project = writeProject(path.join(workspace, "ts-commonjs"), {
      "package.json": { private: true, type: "commonjs" },
      "tsconfig.json": {
        compilerOptions: {
          // TypeScript 5's default target under commonjs is ES5, which rejects the `#private` a class's types carry.
          target: "es2022",
          module: "commonjs",
          esModuleInterop: true,
          strict: true,
          outDir: "out",
          types: ["node"],
          skipLibCheck: false,
        },
        files: ["index.ts"],
      },
      "index.ts": typeScriptCommonJsSource,
    });
    run(`node ${tsc} -p .`, project);
    run(`node ${oldestTsc} -p . --noEmit`, project);
    assert.equal(run("node out/index.js", project).trim(), "ok");
  });

  it(`type-checks with TypeScript's bundler resolution (TypeScript ${OLDEST_TYPESCRIPT} too)`, () => {
    const project = writeProject(path.join(workspace, "ts-bundler"), {
      "package.json": { private: true, type: "module" },
      "tsconfig.json": {
        compilerOptions: {
          target: "es2022",
          module: "esnext",
          moduleResolution: "bundler",
          strict: true,
          noEmit: true,
          types: ["node"],
          skipLibCheck: false,
        },
        files: ["index.ts"],
      },
      "index.ts": typeScriptEsmSource,
    });
    run(`node ${tsc} -p .`, project);
    run(`node ${oldestTsc} -p .`, project);
  });
});
