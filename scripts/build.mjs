// Builds dist/:
// - cli.cjs, the command line: one CommonJS file with commander, our code and the Handlebars runtime, so a
//   scaffold reads one file of code, synchronously (the ES module loader pays an asynchronous read and a
//   link step per file). What only some runs need stays outside and is loaded when used: prompts, execa
//   and the Handlebars compiler come from node_modules, each template layer from its own file;
// - index.js, the library, an ES module (with lazily loaded chunks) that also works with require();
// - templates/<layer>.cjs, the built-in templates precompiled, so scaffolding needs only the Handlebars
//   runtime; both the CLI and the library load them with require();
// - the library's type declarations (tsc).
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";
import Handlebars from "handlebars";

// Must match COMPILE_OPTIONS in src/render.ts (a unit test compares precompiled and compiled output).
const HELPER_NAMES = ["js", "json", "comment", "md", "code", "cellCode", "line", "yaml", "eq", "ne", "and", "or", "not", "join"];
const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(HELPER_NAMES.map((name) => [name, true])),
};

/**
 * commander requires node:child_process at load time, only to spawn executable subcommands, which this CLI
 * has none of. Loading it costs several milliseconds on every run, so commander gets a stand-in that
 * loads the real module on first use.
 */
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "lazy-child-process", namespace: "lazy" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents: 'module.exports = { spawn: (...args) => require("node:child_process").spawn(...args) };',
      loader: "js",
    }));
  },
};

// Build beside dist/ and swap it in at the end, so a CLI running meanwhile never sees half a build.
const out = `dist.${process.pid}.tmp`;
await rm(out, { recursive: true, force: true });
const common = { bundle: true, minify: true, platform: "node", target: "node20.19", logLevel: "warning" };

/** Packages the CLI loads from node_modules when a run needs them (the runtime, `handlebars/runtime`, is bundled). */
const loadedWhenNeeded = {
  name: "loaded-when-needed",
  setup(build) {
    build.onResolve({ filter: /^(prompts|execa|handlebars)$/ }, (args) => ({ path: args.path, external: true }));
  },
};

await build({
  ...common,
  entryPoints: { cli: "src/cli.ts" },
  outdir: out,
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  // The sources are ES modules; in this file import.meta.url is the URL of dist/cli.cjs.
  define: { "import.meta.url": "__cliFileUrl" },
  banner: { js: 'const __cliFileUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [lazyChildProcessForCommander, loadedWhenNeeded],
});

await build({
  ...common,
  entryPoints: { index: "src/index.ts" },
  outdir: out,
  splitting: true,
  format: "esm",
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
});

/** The layer folders of templates/: base, express, socket.io, schemas/<schema>. */
async function layerFolders(root) {
  const top = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const schemas = top.includes("schemas") ? (await readdir(path.join(root, "schemas"))).map((name) => `schemas/${name}`) : [];
  return [...top.filter((name) => name !== "schemas"), ...schemas];
}

/** One CommonJS module per layer, so a run loads only the layers it renders. */
async function embedTemplates(root = "templates") {
  for (const layer of await layerFolders(root)) {
    const entries = await readdir(path.join(root, layer), { recursive: true, withFileTypes: true });
    const lines = [];
    for (const entry of entries.filter((candidate) => candidate.isFile())) {
      const file = path.join(entry.parentPath, entry.name);
      const key = path.relative(path.join(root, layer), file).split(path.sep).join("/");
      const contents = await readFile(file);
      // A precompiled template needs no source; other files are copied byte for byte.
      const value = key.endsWith(".hbs")
        ? `{ precompiled: ${Handlebars.precompile(contents.toString("utf8"), COMPILE_OPTIONS)} }`
        : `{ contents: ${JSON.stringify(contents.toString("base64"))} }`;
      lines.push(`${JSON.stringify(key)}: ${value},`);
    }
    const { code } = await transform(`module.exports = {\n${lines.join("\n")}\n};\n`, { minify: true });
    await mkdir(path.dirname(path.join(out, "templates", layer)), { recursive: true });
    await writeFile(path.join(out, "templates", `${layer}.cjs`), `// Generated by scripts/build.mjs from templates/${layer}.\n${code}`);
  }
}

await embedTemplates();
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", out], { stdio: "inherit" });
await rm("dist", { recursive: true, force: true });
await rename(out, "dist");
