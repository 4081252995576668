// Builds dist/, which the published package runs without a single dependency of its own (npm then fetches
// and unpacks one package, not thirty):
// - launch.cjs, what the bin runs: cli.cjs compiled from V8's code cache after the first run;
// - cli.cjs, the command line: one CommonJS file with commander, our code and every library src imports
//   statically, so a scaffold reads one file of code, synchronously (the ES module loader pays an
//   asynchronous read and a link step per file); the commands other than create and the team-pack loader
//   are in cli-<name>.cjs, so a scaffold does not compile their code;
// - chunks/<package>.cjs, one bundled file per library src loads with `await import("<package>")` (prompts,
//   execa, the Handlebars compiler, and whatever is added later the same way): a run reads a
//   chunk only when it takes the path that needs it. So a new library costs nothing at start-up if it is
//   imported dynamically where it is used; a static import puts it into cli.cjs, read on every run;
// - index.js, the library, an ES module that also works with require(); it loads the same chunks;
// - templates/<layer>.cjs, the built-in templates compiled to plain JavaScript (scripts/compile-template.mjs),
//   so scaffolding from them loads no Handlebars module; both the CLI and the library load them with require();
// - THIRD-PARTY-NOTICES.md, the licences of every package bundled into the files above;
// - the library's type declarations (tsc), only those its index.d.ts reaches.
// NO_MINIFY=1 node scripts/build.mjs leaves the code readable, for a profiler.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createRequire, isBuiltin } from "node:module";
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";
// Shared with src/: how it lists a layer's files.
import { layerFiles } from "../src/layer-files.mjs";
import { compileTemplate } from "./compile-template.mjs";

/**
 * Node built-ins that take a millisecond or more to load (measured on Node 20: crypto 1.7 ms, child_process
 * 1.4, zlib 1.1, tls 2.6, https 7...) and that only some runs use: in cli.cjs each is a stand-in whose
 * properties load the real module on first use. So a module may import them at the top as usual (commander
 * imports child_process for subcommands we do not have; the pack cache imports crypto, the tar reader zlib)
 * without a scaffold paying for them. The names of each module's exports are read here, at build time.
 */
const LAZY_BUILTINS = ["assert", "child_process", "crypto", "dns", "fs/promises", "http", "http2", "https", "inspector", "net", "readline", "tls", "tty", "v8", "worker_threads", "zlib"];
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(build) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.map((name) => name.replace("/", "\\/")).join("|")})$`);
    build.onResolve({ filter }, (args) => (args.namespace === "lazy-builtin" ? undefined : { path: args.path.replace(/^node:/, ""), namespace: "lazy-builtin" }));
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(`node:${args.path}`));
      const getters = names.map((name) => `${JSON.stringify(name)}: { get: () => load()[${JSON.stringify(name)}], enumerable: true }`);
      return {
        // The getters sit on the prototype: esbuild's interop copies a module's own properties into every
        // importer (which would cost a copy of ~80 getters for crypto), and there are none.
        contents: `let real;\nconst load = () => (real ??= require("node:${args.path}"));\nmodule.exports = Object.create(Object.defineProperties({}, {\n${getters.join(",\n")}\n}));`,
        loader: "js",
      };
    });
  },
};

/**
 * The built-ins src/ imports as a whole (`import path from "node:path"`: path in 37 modules, os, vm), each
 * as one small ES module of ours that re-exports it. Without it, esbuild's interop copies every property of
 * the built-in into an object of getters in every importing module (37 copies of path, at every start).
 */
const DEFAULT_IMPORTED_BUILTINS = ["path", "os", "vm"];
const builtinsOnce = {
  name: "builtins-once",
  setup(build) {
    const filter = new RegExp(`^(node:)?(${DEFAULT_IMPORTED_BUILTINS.join("|")})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === "builtin-once" || /[\\/]node_modules[\\/]/.test(args.importer) ? undefined : { path: args.path.replace(/^node:/, ""), namespace: "builtin-once" },
    );
    build.onLoad({ filter: /.*/, namespace: "builtin-once" }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(`node:${args.path}`)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
      return {
        contents: `const real = require("node:${args.path}");\nexport default real;\nexport const { ${names.join(", ")} } = real;\n`,
        loader: "js",
      };
    });
  },
};

// Build beside dist/ and swap it in at the end, so a CLI running meanwhile never sees half a build.
const out = `dist.${process.pid}.tmp`;
await rm(out, { recursive: true, force: true });
const common = { bundle: true, minify: process.env.NO_MINIFY !== "1", platform: "node", target: "node20.19", logLevel: "warning" };

/**
 * Handlebars' compiler requires `source-map` for the `srcName` option, which we never pass; without it
 * Handlebars falls back to its own stand-in (its require sits in a try/catch). Not bundling it saves a
 * third of the compiler chunk.
 */
const noSourceMapForHandlebars = {
  name: "no-source-map-for-handlebars",
  setup(build) {
    build.onResolve({ filter: /^source-map$/ }, (args) =>
      /[\\/]node_modules[\\/]handlebars[\\/]/.test(args.importer) ? { path: "source-map", namespace: "no-source-map" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "no-source-map" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};

/**
 * prompts ships a copy transpiled for Node < 8.6 beside its sources and picks one at run time; bundling
 * both would double its chunk, so the old copy is left out (we need Node 20.19).
 */
const promptsWithoutNode6Copy = {
  name: "prompts-without-node-6-copy",
  setup(build) {
    build.onResolve({ filter: /^\.\/dist\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]prompts[\\/]index\.js$/.test(args.importer) ? { path: "prompts-dist", namespace: "unused" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "unused" }, () => ({ contents: 'throw new Error("not bundled");', loader: "js" }));
  },
};

/** What every bundle leaves out: code of a library that this CLI can never run. */
const unusedCode = [noSourceMapForHandlebars, promptsWithoutNode6Copy];

/** Bare specifiers src/ imports dynamically -> the chunk file (relative to dist/) that bundles each. */
const chunks = new Map();
const chunkFile = (specifier) => `chunks/${specifier.replace(/^@/, "").replace(/[^a-zA-Z0-9.-]+/g, "-")}.cjs`;

/** Every `await import("<package>")` in src/ becomes `require("./chunks/<package>.cjs")` (see the top). */
const dynamicImportsAsChunks = {
  name: "dynamic-imports-as-chunks",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== "dynamic-import" || isBuiltin(args.path) || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      chunks.set(args.path, chunkFile(args.path));
      return { path: `./${chunkFile(args.path)}`, external: true };
    });
  },
};

/** Every bundled input file, for the licence notices. */
const bundledInputs = new Set();
const collectInputs = (result) => Object.keys(result.metafile.inputs).forEach((input) => bundledInputs.add(input));

/**
 * Code that only some runs need lives in its own file, read only when a run imports it: the commands other
 * than create (cli-<command>.cjs), the team-pack loader (cli-load-pack.cjs, its fetchers, tar reader and
 * manifest checks) and the recording of the pristine render that git runs make (cli-pristine.cjs). cli.cjs holds the rest (commander, the create path), so a scaffold compiles none of their
 * code. Each is a module src/ imports with `await import()`. A module both need is the one in cli.cjs: a
 * split file takes it from cli.cjs's `__shared` table (a synchronous require of that module), so there is
 * one copy of each module's state in a run (the interrupt handlers, the error classes cli.ts tests with
 * instanceof).
 */
const SPLIT_MODULES = {
  "src/commands/check.ts": "cli-check",
  "src/commands/update.ts": "cli-update",
  "src/commands/outdated.ts": "cli-outdated",
  "src/commands/diff.ts": "cli-diff",
  "src/commands/template-init.ts": "cli-template-init",
  "src/packs/load-pack.ts": "cli-load-pack",
  "src/update/pristine.ts": "cli-pristine",
};
/** The src/ path of a file esbuild resolved: "src/packs/load-pack.ts". */
const sourcePath = (resolved) => path.relative(process.cwd(), resolved).split(path.sep).join("/");
const templateBuildIds = await embedTemplates();
const cliOptions = {
  ...common,
  outdir: out,
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  metafile: true,
  // import() of a chunk (and of Node's built-ins) becomes a synchronous require(): no ES module loader.
  supported: { "dynamic-import": false },
  // The sources are ES modules that find files beside them with import.meta.dirname (Node >= 20.11); in
  // these CommonJS files that is __dirname, dist/ (no file URL to build and parse at every start).
  define: { "import.meta.dirname": "__dirname", "import.meta.filename": "__filename", TEMPLATE_BUILD_IDS: JSON.stringify(templateBuildIds) },
};
const splitModules = {
  name: "split-modules",
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.pluginData?.inner) return undefined;
      const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { inner: true } });
      const split = SPLIT_MODULES[sourcePath(resolved.path)];
      return split ? { path: `./${split}.cjs`, external: true } : undefined;
    });
  },
};
const cliEntry = (shared) => ({
  contents: [
    'import "./src/cli.ts";',
    `export const __shared = {\n${shared.map((file) => `  ${JSON.stringify(file)}: () => require(${JSON.stringify(`./${file}`)}),`).join("\n")}\n};`,
  ].join("\n"),
  resolveDir: process.cwd(),
  sourcefile: "cli (entry)",
  loader: "js",
});
const cliPlugins = [lazyBuiltins, builtinsOnce, ...unusedCode, dynamicImportsAsChunks, splitModules];
// First the modules cli.cjs bundles, then the commands' files (which take those from cli.cjs), then cli.cjs
// with the table of what they took.
const probe = await build({ ...cliOptions, stdin: cliEntry([]), write: false, plugins: cliPlugins });
const sharedModules = Object.keys(probe.metafile.inputs).filter((input) => input.startsWith("src/") && /\.(ts|mjs)$/.test(input));
/** The modules of cli.cjs a command's file takes from it: only those get an entry in the `__shared` table. */
const usedShared = new Set();
const sharedFromCli = {
  name: "shared-from-cli",
  setup(build) {
    build.onResolve({ filter: /^\.\/cli\.cjs$/, namespace: "shared-from-cli" }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.inner || args.kind === "entry-point") return undefined;
      const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { inner: true } });
      const file = sourcePath(resolved.path);
      return sharedModules.includes(file) ? { path: file, namespace: "shared-from-cli" } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: "shared-from-cli" }, (args) => {
      usedShared.add(args.path);
      return { contents: `module.exports = require("./cli.cjs").__shared[${JSON.stringify(args.path)}]();`, loader: "js" };
    });
  },
};
for (const [entry, name] of Object.entries(SPLIT_MODULES)) {
  collectInputs(
    await build({
      ...cliOptions,
      entryPoints: { [name]: entry },
      plugins: [splitModules, sharedFromCli, lazyBuiltins, builtinsOnce, ...unusedCode, dynamicImportsAsChunks],
    }),
  );
}
// The table lists only what the commands' files take (each entry keeps that module's exports object alive
// and built at start-up), sorted so the build is reproducible.
collectInputs(await build({ ...cliOptions, stdin: cliEntry([...usedShared].sort()), entryNames: "cli", plugins: cliPlugins }));

// launch.cjs, what the bin runs: it loads cli.cjs through V8's code cache (src/launch/code-cache.ts).
const cliBuildId = createHash("sha256").update(await readFile(path.join(out, "cli.cjs"))).digest("hex").slice(0, 16);
collectInputs(await build({ ...cliOptions, entryPoints: { launch: "src/launch/main.ts" }, define: { ...cliOptions.define, CLI_BUILD_ID: JSON.stringify(cliBuildId) } }));

/**
 * The library shares the CLI's chunks, so the tarball holds each library once: its `await import("<package>")`
 * becomes a small ES module that requires dist/chunks/<package>.cjs (through the createRequire in its banner)
 * and re-exports what an import of the package itself would give, named exports included (their names are
 * read from the package here, at build time).
 */
const dynamicImportsFromChunks = {
  name: "dynamic-imports-from-chunks",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== "dynamic-import" || isBuiltin(args.path) || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      chunks.set(args.path, chunkFile(args.path));
      return { path: args.path, namespace: "chunk" };
    });
    build.onLoad({ filter: /.*/, namespace: "chunk" }, async (args) => {
      // Node's import() wants file extensions where bundlers do not (handlebars/runtime): require() then.
      const namespace = await import(args.path).catch(() => createRequire(import.meta.url)(args.path));
      const names = Object.keys(namespace).filter((name) => name !== "default" && /^[A-Za-z_$][\w$]*$/.test(name));
      const contents = [
        `const chunk = require("./${chunkFile(args.path)}");`,
        // A bundled ES module arrives marked __esModule (its default is a property); a CommonJS one is the default.
        "export default chunk && chunk.__esModule ? chunk.default : chunk;",
        ...names.map((name) => `export const ${name} = chunk[${JSON.stringify(name)}];`),
      ].join("\n");
      return { contents, loader: "js" };
    });
    build.onResolve({ filter: /^\.\/chunks\//, namespace: "chunk" }, (args) => ({ path: args.path, external: true }));
  },
};

collectInputs(
  await build({
    ...common,
    entryPoints: { index: "src/index.ts" },
    outdir: out,
    splitting: true,
    format: "esm",
    metafile: true,
    plugins: [...unusedCode, dynamicImportsFromChunks],
    // Bundled CommonJS code (and the chunks) call require(); it resolves from the file it is in, in dist/.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  }),
);

for (const [specifier, file] of chunks) {
  collectInputs(
    await build({
      ...common,
      stdin: { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir: process.cwd(), sourcefile: `${specifier} (chunk)` },
      outfile: path.join(out, file),
      format: "cjs",
      metafile: true,
      plugins: unusedCode,
    }),
  );
}

/** The layer folders of templates/: base, express, socket.io, schemas/<schema>, starters/<target>/<starter>. */
async function layerFolders(root) {
  const top = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const schemas = top.includes("schemas") ? (await readdir(path.join(root, "schemas"))).map((name) => `schemas/${name}`) : [];
  const starters = [];
  if (top.includes("starters")) {
    for (const target of await readdir(path.join(root, "starters"))) {
      for (const starter of await readdir(path.join(root, "starters", target))) starters.push(`starters/${target}/${starter}`);
    }
  }
  return [...top.filter((name) => name !== "schemas" && name !== "starters"), ...schemas, ...starters];
}

/**
 * One CommonJS module per layer, so a run loads only the layers it renders. Returns a hash of each, by
 * layer: the CLI loads a layer through the code cache under that name (src/template-source.ts).
 */
async function embedTemplates(root = "templates") {
  const buildIds = {};
  for (const layer of await layerFolders(root)) {
    const lines = [];
    for (const key of layerFiles(path.join(root, layer))) {
      const contents = await readFile(path.join(root, layer, key));
      // A compiled template needs no source; other files are copied byte for byte.
      const value = key.endsWith(".hbs")
        ? `{ compiled: ${compileTemplate(contents.toString("utf8"), `templates/${layer}/${key}`)} }`
        : `{ contents: ${JSON.stringify(contents.toString("base64"))} }`;
      lines.push(`${JSON.stringify(key)}: ${value},`);
    }
    const { code } = await transform(`module.exports = {\n${lines.join("\n")}\n};\n`, { minify: true });
    await mkdir(path.dirname(path.join(out, "templates", layer)), { recursive: true });
    const moduleText = `// Generated by scripts/build.mjs from templates/${layer}.\n${code}`;
    await writeFile(path.join(out, "templates", `${layer}.cjs`), moduleText);
    buildIds[layer] = createHash("sha256").update(moduleText).digest("hex").slice(0, 16);
  }
  return buildIds;
}

/** The package folder (node_modules/<name> or node_modules/@scope/<name>, the innermost) of a bundled input. */
function packageFolder(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join("/"));
  return match?.[1];
}

/** The licences of everything bundled, one section per package, so the tarball carries them. */
async function writeNotices() {
  const folders = [...new Set([...bundledInputs].map(packageFolder).filter(Boolean))];
  const packages = await Promise.all(
    folders.map(async (folder) => {
      const manifest = JSON.parse(await readFile(path.join(folder, "package.json"), "utf8"));
      const licenceFile = (await readdir(folder)).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
      const text = licenceFile ? (await readFile(path.join(folder, licenceFile), "utf8")).trim() : `(No licence file in the package; its package.json says "${manifest.license}".)`;
      const repository = typeof manifest.repository === "string" ? manifest.repository : manifest.repository?.url;
      return { name: manifest.name, version: manifest.version, license: manifest.license, repository, text };
    }),
  );
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { name } = JSON.parse(await readFile("package.json", "utf8"));
  const sections = packages.map(
    (pkg) => `## ${pkg.name} ${pkg.version} (${pkg.license})\n\n${pkg.repository ? `${pkg.repository}\n\n` : ""}\`\`\`\`text\n${pkg.text}\n\`\`\`\`\n`,
  );
  const intro = `# Third-party notices\n\n${name} bundles these packages into its dist/ folder (so it installs without dependencies). Their licences follow.\n\n`;
  await writeFile(path.join(out, "THIRD-PARTY-NOTICES.md"), `${intro}${packages.map((pkg) => `- ${pkg.name} ${pkg.version}, ${pkg.license}`).join("\n")}\n\n${sections.join("\n")}`);
}

/**
 * The built-in templates' own files, for `template init` and for knowing a pack's unchanged copies
 * (src/builtin-sources.ts): one JSON file, so the tarball carries one file where the templates/ folder has
 * some 150, each of which npm would unpack on a first npx. Templates are text; anything else fails here.
 */
async function writeTemplateSources(root = "templates") {
  const texts = {};
  for (const entry of (await readdir(root, { recursive: true, withFileTypes: true })).filter((each) => each.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    const text = bytes.toString("utf8");
    if (!Buffer.from(text, "utf8").equals(bytes)) throw new Error(`${file} is not UTF-8 text: built-in templates must be`);
    texts[path.relative(root, file).split(path.sep).join("/")] = text;
  }
  const sorted = Object.fromEntries(Object.entries(texts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFile(path.join(out, "templates", "sources.json"), JSON.stringify(sorted));
}

await writeTemplateSources();
await writeNotices();
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", out], { stdio: "inherit" });

/**
 * tsc writes a declaration file for every module; the package's types need only those index.d.ts reaches.
 * The rest (the CLI's, the commands') would be files in the tarball that nothing reads.
 */
async function pruneDeclarations() {
  const reached = new Set();
  const queue = [path.join(out, "index.d.ts")];
  while (queue.length > 0) {
    const file = queue.pop();
    if (reached.has(file)) continue;
    reached.add(file);
    const text = await readFile(file, "utf8");
    for (const [, specifier] of text.matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      queue.push(path.join(path.dirname(file), specifier.replace(/\.js$/, ".d.ts")));
    }
  }
  for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name.endsWith(".d.ts") && !reached.has(file)) await rm(file);
  }
  // Folders left empty (commands/, check/) go too; rmdir refuses the others.
  for (const entry of await readdir(out, { withFileTypes: true })) {
    if (entry.isDirectory()) await rmdir(path.join(out, entry.name)).catch(() => {});
  }
}
await pruneDeclarations();
/**
 * V8 keeps a source that is all ASCII at one byte a character; a single other character anywhere (a "✖" in
 * a regular expression, which esbuild leaves as it is) stores the whole file at two, doubling the memory a
 * run spends on it. Write such characters as \u escapes in src/.
 */
async function assertAsciiCode() {
  for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(c?js)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = await readFile(file, "latin1");
    const at = text.search(/[^\x00-\x7f]/);
    if (at !== -1) throw new Error(`${path.relative(out, file)} has a non-ASCII character near ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 10))}: write it as a \\u escape in src/`);
  }
}
await assertAsciiCode();
await rm("dist", { recursive: true, force: true });
await rename(out, "dist");
