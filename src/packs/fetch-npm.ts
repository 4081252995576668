/**
 * An npm pack source -> a checked, unpacked folder in the cache. The package manager fetches it
 * (`npm pack <spec> --pack-destination <tmp> --json --ignore-scripts`: the registry, auth and proxies are
 * npm's, and no script of the pack runs); we unpack the tarball ourselves (tarball.ts), refusing links and
 * escaping paths before anything is written. Cached by name@version; `--offline` uses what an earlier
 * fetch of the same spec resolved to.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { FailedError } from "../errors.js";
import { runCommand } from "../system/run-command.js";
import { cachedPackPath, readRef, sha256, writeRef } from "./cache.js";
import { describeFailure, inScratchFolder, offlineMiss, unpackIntoCache, type Fetched } from "./fetch-common.js";

const NPM_TIMEOUT_MS = 120_000;

interface PackJson {
  name: string;
  version: string;
  filename: string;
}

function refKey(spec: string, cwd: string): string {
  // A file: spec means a different thing from each folder.
  return spec.startsWith("file:") ? `npm:${spec}@${cwd}` : `npm:${spec}`;
}

export async function fetchNpmPack(given: string, spec: string, options: { cwd: string; cacheRoot: string; offline: boolean }): Promise<Fetched> {
  const key = refKey(spec, options.cwd);
  if (options.offline) {
    const ref = readRef(options.cacheRoot, key);
    if (!ref) offlineMiss(given, options.cacheRoot);
    return { root: ref.path, resolved: ref.resolved, fromCache: true };
  }
  return inScratchFolder(options.cacheRoot, "npm", async (work) => {
    const run = await runCommand(
      { command: "npm", args: ["pack", spec, "--pack-destination", work, "--json", "--ignore-scripts", "--silent"] },
      { cwd: options.cwd, timeoutMs: NPM_TIMEOUT_MS },
    );
    if (!run.ok) throw new FailedError(`Could not fetch the template pack "${given}": ${npmErrorSummary(run.stdout) ?? describeFailure(run, "npm")}`);
    let packed: PackJson;
    try {
      const parsed = JSON.parse(run.stdout.slice(run.stdout.indexOf("["))) as PackJson[];
      packed = parsed[0]!;
      if (typeof packed.name !== "string" || typeof packed.version !== "string") throw new Error("no name or version");
    } catch (error) {
      throw new FailedError(`Could not fetch the template pack "${given}": npm pack printed no package description (${(error as Error).message}).`);
    }
    const archive = readFileSync(path.join(work, path.basename(packed.filename)));
    // Registry versions never change; a local file: package may, so its cache key includes the content.
    const cacheKey = spec.startsWith("file:")
      ? `${packed.name}@${packed.version}-${sha256(archive).slice(0, 16)}`
      : `${packed.name}@${packed.version}`;
    const destination = cachedPackPath(options.cacheRoot, "npm", cacheKey);
    unpackIntoCache(given, archive, work, destination);
    writeRef(options.cacheRoot, key, { resolved: packed.version, path: destination });
    return { root: destination, resolved: packed.version, fromCache: false };
  });
}

/**
 * With --json, npm reports a failure as a JSON object on stdout ({ error: { code, summary, detail } }): its
 * code, summary and the first sentence of its detail read better than the raw object. Undefined when npm
 * printed no such object (then its last lines are shown as they are).
 */
function npmErrorSummary(stdout: string): string | undefined {
  let error: { code?: unknown; summary?: unknown; detail?: unknown } | undefined;
  try {
    error = (JSON.parse(stdout.slice(stdout.indexOf("{"))) as { error?: typeof error }).error;
  } catch {
    return undefined;
  }
  if (typeof error !== "object" || error === null || typeof error.summary !== "string") return undefined;
  const detail =
    typeof error.detail === "string"
      ? error.detail
          .split(/\n\s*\n/)[0]!
          .replace(/\s+/g, " ")
          .trim()
      : "";
  const summary = error.summary.replace(/(:\/\/)[^@\s/]+@/g, "$1").replace(/\.$/, ""); // a URL's credentials, should npm print them
  return `npm ${typeof error.code === "string" ? `${error.code} ` : ""}${summary}${detail ? `. ${detail}` : ""}`;
}
