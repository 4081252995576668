// Cold start as a newcomer meets it: `npm exec` on a machine whose npm cache is empty, against create-vite
// 9.3 in the same alternated rounds (each run gets a fresh npm_config_cache, removed afterwards).
// Ours is the tarball `npm pack` makes of this tree (what would be published; `npm run bench` builds
// first), served as a one-package registry on 127.0.0.1 so npm takes the path it takes for a published
// package; create-vite comes from registry.npmjs.org. npm is markedly slower on a tarball file than on a
// registry spec, so one more line runs both packages' tarballs as files. Also: tarball size, unpacked size, and how many packages
// `npm install` puts into node_modules for each. Targets: ratios <= 1.00, and 1 installed package.
// BENCH_COLD_TARBALL=<file.tgz> measures that tarball instead of packing this tree (an older build, say).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alternate, median, report, timeOnce } from "./measure.mjs";

const ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 5);
const CREATE_VITE = "create-vite@9.3.0";
const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-bench-cold-"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const shell = process.platform === "win32";

let cacheCount = 0;
/** A fresh, empty npm cache folder. */
const freshCache = () => path.join(scratch, `cache-${cacheCount++}`);

/** @param {string[]} args @param {string} cwd @param {string} cache */
function npmJson(args, cwd, cache) {
  const result = spawnSync(npm, [...args, "--json"], { cwd, encoding: "utf8", shell, env: { ...process.env, npm_config_cache: cache } });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** npm pack of a folder or a registry spec: the tarball's path, its size and its unpacked size. @param {string} spec @param {string} cwd */
function pack(spec, cwd) {
  const [info] = npmJson(["pack", spec, "--ignore-scripts", "--pack-destination", scratch], cwd, freshCache());
  return { file: path.join(scratch, info.filename), size: info.size, unpackedSize: info.unpackedSize };
}

/** Sizes of a tarball made elsewhere: its own size, and the sum of its files' sizes. @param {string} file */
function packedSizes(file) {
  const listing = spawnSync("tar", ["-tvzf", file], { encoding: "utf8" });
  if (listing.status !== 0) throw new Error(`cannot list ${file}: ${listing.stderr}`);
  const unpackedSize = listing.stdout
    .split("\n")
    .filter(Boolean)
    .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[2]), 0);
  return { size: statSync(file).size, unpackedSize };
}

/** How many packages `npm install <spec>` puts into an empty project's node_modules. @param {string} spec @param {string} name */
function installedPackages(spec, name) {
  const project = path.join(scratch, `install-${name}`);
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), '{ "private": true }\n');
  const result = spawnSync(npm, ["install", "--no-audit", "--no-fund", spec], {
    cwd: project,
    encoding: "utf8",
    shell,
    env: { ...process.env, npm_config_cache: freshCache() },
  });
  if (result.status !== 0) throw new Error(`npm install ${spec} failed: ${result.stderr}`);
  const lock = JSON.parse(readFileSync(path.join(project, "node_modules", ".package-lock.json"), "utf8"));
  return Object.keys(lock.packages).filter((key) => key !== "").length;
}

/** One `npm exec` with an empty cache, in an empty folder; the cache is removed afterwards. @param {string[]} packageArgs @param {string[]} args */
function coldExec(packageArgs, args) {
  const cache = freshCache();
  const cwd = mkdtempSync(path.join(scratch, "run-"));
  // A temp folder of its own too: a code cache left there by an earlier run would make it warm.
  const tmp = mkdtempSync(path.join(scratch, "tmp-"));
  try {
    return timeOnce({
      command: npm,
      args: ["exec", "--yes", ...packageArgs, "--", ...args],
      cwd,
      env: { npm_config_cache: cache, npm_config_update_notifier: "false", NO_COLOR: "1", TMPDIR: tmp },
    });
  } finally {
    rmSync(cache, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A registry holding one package, in its own process (the runs are timed with spawnSync): the packument
 * and the tarball, as registry.npmjs.org would serve them. Returns its URL and a stop function.
 * @param {string} tarball
 */
function localRegistry(tarball) {
  const manifest = spawnSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }).stdout;
  const portFile = path.join(scratch, "registry-port");
  const server = `
    const [tarball, manifestText, portFile] = process.argv.slice(1);
    const { createHash } = require("node:crypto");
    const data = require("node:fs").readFileSync(tarball);
    const manifest = JSON.parse(manifestText);
    const server = require("node:http").createServer((request, response) => {
      const base = "http://127.0.0.1:" + server.address().port;
      if (request.url === "/" + manifest.name.replace("/", "%2f") || request.url === "/" + manifest.name) {
        const dist = { tarball: base + "/package.tgz", shasum: createHash("sha1").update(data).digest("hex"), integrity: "sha512-" + createHash("sha512").update(data).digest("base64") };
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ name: manifest.name, "dist-tags": { latest: manifest.version }, versions: { [manifest.version]: { ...manifest, _id: manifest.name + "@" + manifest.version, dist } } }));
      } else if (request.url === "/package.tgz") {
        response.setHeader("content-type", "application/octet-stream");
        response.end(data);
      } else {
        response.statusCode = 404;
        response.end("{}");
      }
    });
    server.listen(0, "127.0.0.1", () => require("node:fs").writeFileSync(portFile, String(server.address().port)));`;
  const child = spawn(process.execPath, ["-e", server, tarball, manifest, portFile], { stdio: "ignore" });
  const waited = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; !existsSync(portFile) && tries < 100; tries++) Atomics.wait(waited, 0, 0, 50);
  if (!existsSync(portFile)) throw new Error("the local registry did not start");
  return {
    url: `http://127.0.0.1:${readFileSync(portFile, "utf8")}/`,
    spec: `${JSON.parse(manifest).name}@${JSON.parse(manifest).version}`,
    stop: () => child.kill(),
  };
}

let registry;
try {
  const { name } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const given = process.env.BENCH_COLD_TARBALL;
  const ours = given ? { file: path.resolve(given), ...packedSizes(path.resolve(given)) } : pack(root, root);
  const theirs = pack(CREATE_VITE, scratch);
  report({ name: "tarball-size", ours: ours.size / 1024, baseline: theirs.size / 1024, unit: "kB", spread: `${name} vs ${CREATE_VITE}` });
  report({ name: "unpacked-size", ours: ours.unpackedSize / 1024, baseline: theirs.unpackedSize / 1024, unit: "kB" });
  const ourCount = installedPackages(ours.file, "ours");
  const theirCount = installedPackages(CREATE_VITE, "create-vite");
  console.log(
    `installed-packages          ${String(ourCount).padStart(9)}  ${String(theirCount).padStart(9)}  target 1 (create-vite: ${theirCount})  ${ourCount === 1 ? "pass" : "fail"}`,
  );

  // A fresh cache each run: npm fetches and unpacks the package anew, as on a first npx.
  registry = localRegistry(ours.file);
  const published = ["--registry", registry.url, "--package", registry.spec];
  const samples = alternate(
    {
      version: () => coldExec(published, ["create-middleware", "--version"]),
      versionFromTarball: () => coldExec(["--package", ours.file], ["create-middleware", "--version"]),
      viteHelp: () => coldExec(["--package", CREATE_VITE], ["create-vite", "--help"]),
      // npm takes a slower path for a tarball file than for a registry spec; create-vite's own tarball on
      // that same path shows how much of the difference is npm's rather than the package's.
      viteTarballHelp: () => coldExec(["--package", theirs.file], ["create-vite", "--help"]),
      scaffold: (round) => coldExec(published, ["create-middleware", `my-x-${round}`, "--yes", "--no-install", "--no-git"]),
      viteScaffold: (round) => coldExec(["--package", CREATE_VITE], ["create-vite", `x-${round}`, "--template", "vanilla-ts", "--no-interactive"]),
    },
    ROUNDS,
    1,
  );
  const spread = (/** @type {number[]} */ values) => `(${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}ms, n=${values.length})`;
  console.log(
    `# cold npm exec, empty npm cache each run: medians of ${ROUNDS} alternated runs (ours from a registry on 127.0.0.1, create-vite from registry.npmjs.org)`,
  );
  report({
    name: "cold-npm-exec-version",
    ours: median(samples.version),
    baseline: median(samples.viteHelp),
    unit: "ms",
    target: 1,
    spread: `--version ${spread(samples.version)} vs create-vite --help ${spread(samples.viteHelp)}`,
  });
  report({
    name: "cold-exec-both-tarballs",
    ours: median(samples.versionFromTarball),
    baseline: median(samples.viteTarballHelp),
    unit: "ms",
    spread: `both as tarball files: --version ${spread(samples.versionFromTarball)} vs create-vite --help ${spread(samples.viteTarballHelp)}`,
  });
  report({
    name: "cold-npm-exec-scaffold",
    ours: median(samples.scaffold),
    baseline: median(samples.viteScaffold),
    unit: "ms",
    target: 1,
    spread: `${spread(samples.scaffold)} vs ${spread(samples.viteScaffold)}`,
  });
} finally {
  registry?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
