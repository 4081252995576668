#!/usr/bin/env node
// Node 22.1+ keeps V8's compiled code of the modules it loads between runs (module.enableCompileCache);
// on Node 20 the function is missing and nothing happens. A cache is code, and Node's default folder,
// <temp folder>/node-compile-cache, is shared by every user of the machine: so the cache goes into a folder
// of this user's own, <temp folder>/create-middleware-<uid>/compile-cache, used only when that folder is
// no link, owned by this user and closed to everyone else (0700), in a temp folder nobody else can swap it
// out of. Anything else means no cache, never an error. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const { enableCompileCache } = require("node:module");

function privateCacheFolder() {
  const { lstatSync, mkdirSync } = require("node:fs");
  const { join } = require("node:path");
  const temp = require("node:os").tmpdir();
  const uid = process.getuid();
  const folder = join(temp, `create-middleware-${uid}`);
  try {
    // A temp folder others may write to without the sticky bit would let them rename ours away.
    const parent = lstatSync(temp);
    if (!parent.isDirectory() || (parent.mode & 0o022 && !(parent.mode & 0o1000))) return undefined;
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if (error.code !== "EEXIST") return undefined;
    }
    const own = lstatSync(folder);
    if (!own.isDirectory() || own.uid !== uid || (own.mode & 0o077) !== 0) return undefined;
    const cache = join(folder, "compile-cache");
    return onlyRegularFiles(cache) ? cache : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Node opens each cache file without checking what it is: a FIFO there would block the start for good.
 * So anything in the cache but folders (one per Node version) and regular files goes first; true when the
 * cache is then clean (or not there yet).
 */
function onlyRegularFiles(cache) {
  const { readdirSync, rmSync } = require("node:fs");
  const { join } = require("node:path");
  let versions;
  try {
    versions = readdirSync(cache, { withFileTypes: true });
  } catch (error) {
    return error.code === "ENOENT";
  }
  for (const version of versions) {
    const folder = join(cache, version.name);
    if (!version.isDirectory()) {
      rmSync(folder, { force: true });
      continue;
    }
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isFile()) rmSync(join(folder, entry.name), { recursive: true, force: true });
    }
  }
  return true;
}

if (enableCompileCache && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  // Windows has no uids, and its temp folder is the user's own: Node's default folder is fine there.
  const folder = typeof process.getuid === "function" ? privateCacheFolder() : null;
  if (folder !== undefined) enableCompileCache(folder ?? undefined);
}
require("../dist/cli.cjs");
