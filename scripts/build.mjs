// Builds dist/, which the published package runs without a single dependency of its own (npm then fetches
// and unpacks one package, not thirty):
// - cli.cjs, the command line: one CommonJS file with commander, our code and every library src imports
//   statically, read synchronously (the ES module loader pays an asynchronous read and a link step per file);
// - chunks/<package>.cjs, one bundled file per library src loads with `await import("<package>")` (prompts,
//   execa, Handlebars' runtime, its compiler, and whatever is added later the same way): a run reads a chunk
//   only when it takes the path that needs it. So a new library costs nothing at start-up if it is imported
//   dynamically where it is used; a static import puts it into cli.cjs, read on every run;
// - index.js, the library, an ES module that also works with require(); it loads the same chunks;
// - templates/<layer>.cjs, the built-in templates precompiled by Handlebars (`Handlebars.precompile()`, with
//   the options of src/render/compile-options.json, each function in parentheses so it is compiled with the module
//   and so kept by Node's compile cache), so a scaffold from them loads Handlebars' runtime only;
// - THIRD-PARTY-NOTICES.md, the licences of every package bundled into the files above;
// - the library's type declarations (tsc), only those its index.d.ts reaches.
// NO_MINIFY=1 node scripts/build.mjs leaves the code readable, for a profiler.
import { execFileSync } from "node:child_process";
import { createRequire, isBuiltin } from "node:module";
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";
import Handlebars from "handlebars";
// Shared with src/: how it lists a layer's files.
import { layerFiles } from "../src/render/layer-files.mjs";

// Build beside dist/ and swap it in at the end, so a CLI running meanwhile never sees half a build.
const out = `dist.${process.pid}.tmp`;
await rm(out, { recursive: true, force: true });
/** @type {import("esbuild").BuildOptions} */
const common = { bundle: true, minify: process.env.NO_MINIFY !== "1", platform: "node", target: "node20.19", logLevel: "warning" };

/** Bare specifiers src/ imports dynamically -> the chunk file (relative to dist/) that bundles each. */
/** @type {Map<string, string>} */
const chunks = new Map();
const chunkFile = (/** @type {string} */ specifier) =>
  `chunks/${specifier
    .replace(/^@/, "")
    .replace(/\.js$/, "")
    .replace(/[^a-zA-Z0-9.-]+/g, "-")}.cjs`;

/** Every `await import("<package>")` in src/ becomes `require("./chunks/<package>.cjs")` (see the top). */
/** @type {import("esbuild").Plugin} */
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

/**
 * esbuild wraps each module it must be able to run later (one src/ imports with `await import()`, and what
 * that imports; every CommonJS module) in a method, `__esm({ "src/x.ts"() { ... } })`. V8 compiles a method
 * on its first call, and Node's compile cache keeps only what was compiled when the file was loaded: so every
 * run compiled each module's body again (commander's command.js alone is some 85 kB). Written as
 * `"src/x.ts": (function() { ... })` instead, V8 compiles the body with the file (a function in parentheses is
 * "possibly invoked"), the cache keeps it, and the module still runs only when something imports it.
 * The rewrite reads esbuild's unminified output, where a wrapper is two lines (opened by `= __esm({` or
 * `= __commonJS({`, then the method) and ends with the first `  }` + `});` after it; the count must match, and
 * any other mismatch would be a syntax error in the minify that follows.
 * @param {string} code
 * @param {string} file
 * @param {boolean | undefined} minify
 */
function eagerModuleWrappers(code, file, minify) {
  const lines = code.split("\n");
  let open = -1;
  let rewritten = 0;
  for (let index = 1; index < lines.length; index++) {
    if (open === -1) {
      if (!/= __(esm|commonJS)\(\{$/.test(lines[index - 1])) continue;
      const method = /^ {2}("[^"\n]+")\(([\w$, ]*)\) \{$/.exec(lines[index]);
      if (!method) throw new Error(`${file}:${index + 1}: a module wrapper of a form this build does not know`);
      // The key only names the module (esbuild's helper calls the object's one property): minified, a letter.
      lines[index] = `  ${minify ? "m" : method[1]}: (function(${method[2]}) {`;
      open = index;
    } else if (lines[index] === "  }" && lines[index + 1] === "});") {
      lines[index] = "  })";
      open = -1;
      rewritten++;
    }
  }
  const wrappers = code.match(/= __(esm|commonJS)\(\{$/gm)?.length ?? 0;
  if (open !== -1 || rewritten !== wrappers) throw new Error(`${file}: rewrote ${rewritten} of ${wrappers} module wrappers`);
  return lines.join("\n");
}

/**
 * esbuild's build(), with the module wrappers of each CommonJS output compiled eagerly (above), then minified.
 * @param {import("esbuild").BuildOptions & { metafile: true }} options
 */
async function buildWithEagerModules(options) {
  const result = await build({ ...options, minify: false, write: false });
  for (const output of result.outputFiles) {
    const code = eagerModuleWrappers(output.text, path.relative(out, output.path), options.minify);
    const { code: minified } = await transform(code, {
      minify: options.minify ?? false,
      format: "cjs",
      platform: "node",
      ...(options.target === undefined ? {} : { target: options.target }),
    });
    await mkdir(path.dirname(output.path), { recursive: true });
    await writeFile(output.path, minified);
  }
  return result;
}

/** Every bundled input file, for the licence notices. */
/** @type {Set<string>} */
const bundledInputs = new Set();
const collectInputs = (/** @type {{ metafile: import("esbuild").Metafile }} */ result) =>
  Object.keys(result.metafile.inputs).forEach((input) => bundledInputs.add(input));

collectInputs(
  await buildWithEagerModules({
    ...common,
    entryPoints: { cli: "src/cli.ts" },
    outdir: out,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    metafile: true,
    // import() of a chunk (and of Node's built-ins) becomes a synchronous require(): no ES module loader.
    supported: { "dynamic-import": false },
    // The sources are ES modules that find files beside them with import.meta.dirname (Node >= 20.11); in
    // this CommonJS file that is __dirname, dist/.
    define: { "import.meta.dirname": "__dirname", "import.meta.filename": "__filename" },
    plugins: [dynamicImportsAsChunks],
  }),
);

/**
 * The library shares the CLI's chunks, so the tarball holds each library once: its `await import("<package>")`
 * becomes a small ES module that requires dist/chunks/<package>.cjs (through the createRequire in its banner)
 * and re-exports what an import of the package itself would give, named exports included (their names are
 * read from the package here, at build time).
 */
/** @type {import("esbuild").Plugin} */
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
    plugins: [dynamicImportsFromChunks],
    // Bundled CommonJS code (and the chunks) call require(); it resolves from the file it is in, in dist/.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  }),
);

for (const [specifier, file] of chunks) {
  collectInputs(
    await buildWithEagerModules({
      ...common,
      stdin: { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir: process.cwd(), sourcefile: `${specifier} (chunk)` },
      outfile: path.join(out, file),
      format: "cjs",
      metafile: true,
    }),
  );
}

/** The layer folders of templates/: base, express, socket.io, schemas/<schema>, starters/<target>/<starter>. @param {string} root */
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

/** What Handlebars compiles every template with: src/render/render.ts derives the same from the same file. */
/** @type {{ noEscape: boolean, strict: boolean, knownHelpersOnly: boolean, knownHelpers: Record<string, boolean>, removedBuiltIns: string[] }} */
const compileOptions = JSON.parse(await readFile("src/render/compile-options.json", "utf8"));
const HANDLEBARS_OPTIONS = {
  noEscape: compileOptions.noEscape,
  strict: compileOptions.strict,
  knownHelpersOnly: compileOptions.knownHelpersOnly,
  knownHelpers: { ...compileOptions.knownHelpers, ...Object.fromEntries(compileOptions.removedBuiltIns.map((name) => [name, false])) },
};

/**
 * Handlebars' precompiler, writing each template function as `(function (…) {…})`. V8 compiles a function in
 * parentheses together with the code around it (its "possibly invoked function expression" rule) instead of on
 * its first call; Node's compile cache keeps only what was compiled when the module was, so only then do the
 * template functions a scaffold runs come from the cache on the next run instead of being compiled again.
 * The parentheses change nothing else (esbuild keeps them when it minifies).
 */
const precompiler = Handlebars.create();
/** Handlebars' compiler class, which its types do not declare (an extension point its docs describe). */
const JavaScriptCompiler = /** @type {any} */ (Handlebars).JavaScriptCompiler;
function EagerJavaScriptCompiler() {}
EagerJavaScriptCompiler.prototype = new JavaScriptCompiler();
EagerJavaScriptCompiler.prototype.compiler = EagerJavaScriptCompiler;
/** @param {boolean} asObject */
EagerJavaScriptCompiler.prototype.createFunctionContext = function (asObject) {
  const functionSource = JavaScriptCompiler.prototype.createFunctionContext.call(this, asObject);
  return asObject ? functionSource : this.source.wrap(["(", functionSource, ")"]);
};
/** @type {any} */ (precompiler).JavaScriptCompiler = EagerJavaScriptCompiler;

/** One CommonJS module per layer, so a run loads only the layers it renders. */
async function embedTemplates(root = "templates") {
  for (const layer of await layerFolders(root)) {
    const lines = [];
    for (const key of layerFiles(path.join(root, layer))) {
      const contents = await readFile(path.join(root, layer, key));
      // A precompiled template needs no source; other files are copied byte for byte.
      let value;
      if (key.endsWith(".hbs")) {
        try {
          value = `{ compiled: ${precompiler.precompile(contents.toString("utf8"), HANDLEBARS_OPTIONS)} }`;
        } catch (error) {
          throw new Error(`templates/${layer}/${key}: ${/** @type {Error} */ (error).message}`);
        }
      } else {
        value = `{ contents: ${JSON.stringify(contents.toString("base64"))} }`;
      }
      lines.push(`${JSON.stringify(key)}: ${value},`);
    }
    const { code } = await transform(`module.exports = {\n${lines.join("\n")}\n};\n`, {
      minify: process.env.NO_MINIFY !== "1",
    });
    await mkdir(path.dirname(path.join(out, "templates", layer)), { recursive: true });
    await writeFile(path.join(out, "templates", `${layer}.cjs`), `// Generated by scripts/build.mjs from templates/${layer}.\n${code}`);
  }
}

/** The package folder (node_modules/<name> or node_modules/@scope/<name>, the innermost) of a bundled input. @param {string} input */
function packageFolder(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join("/"));
  return match?.[1];
}

/** The licences of everything bundled, one section per package, so the tarball carries them. */
async function writeNotices() {
  const folders = /** @type {string[]} */ ([...new Set([...bundledInputs].map(packageFolder).filter(Boolean))]);
  const packages = await Promise.all(
    folders.map(async (folder) => {
      const manifest = JSON.parse(await readFile(path.join(folder, "package.json"), "utf8"));
      const licenceFile = (await readdir(folder)).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
      const text = licenceFile
        ? (await readFile(path.join(folder, licenceFile), "utf8")).trim()
        : `(No licence file in the package; its package.json says "${manifest.license}".)`;
      const repository = typeof manifest.repository === "string" ? manifest.repository : manifest.repository?.url;
      return { name: manifest.name, version: manifest.version, license: manifest.license, repository, text };
    }),
  );
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { name } = JSON.parse(await readFile("package.json", "utf8"));
  const sections = packages.map(
    (pkg) =>
      `## ${pkg.name} ${pkg.version} (${pkg.license})\n\n${pkg.repository ? `${pkg.repository}\n\n` : ""}\`\`\`\`text\n${pkg.text}\n\`\`\`\`\n`,
  );
  const intro = `# Third-party notices\n\n${name} bundles these packages into its dist/ folder (so it installs without dependencies). Their licences follow.\n\n`;
  await writeFile(
    path.join(out, "THIRD-PARTY-NOTICES.md"),
    `${intro}${packages.map((pkg) => `- ${pkg.name} ${pkg.version}, ${pkg.license}`).join("\n")}\n\n${sections.join("\n")}`,
  );
}

/**
 * The built-in templates' own files, for `template init` and for knowing a pack's unchanged copies
 * (src/render/builtin-sources.ts): one JSON file, so the tarball carries one file where the templates/ folder has
 * some 150, each of which npm would unpack on a first npx. Templates are text; anything else fails here.
 */
async function writeTemplateSources(root = "templates") {
  /** @type {Record<string, string>} */
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

await embedTemplates();
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
    const file = /** @type {string} the loop runs while the queue is not empty */ (queue.pop());
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
    if (at !== -1)
      throw new Error(
        `${path.relative(out, file)} has a non-ASCII character near ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 10))}: write it as a \\u escape in src/`,
      );
  }
}
await assertAsciiCode();
await rm("dist", { recursive: true, force: true });
await rename(out, "dist");
