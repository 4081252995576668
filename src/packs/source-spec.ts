/**
 * `--template <source>` -> what kind of pack it names, without touching the network (docs/packs.md):
 *
 * - a folder: `./our-templates`, `../packs/mw`, an absolute path;
 * - a tarball: a path ending in `.tgz` or `.tar.gz`;
 * - an npm spec: `npm:@acme/mw-pack@^2`, `npm:mw-pack@1.2.3`, `npm:file:../pack`, or a bare scoped name
 *   `@acme/mw-pack[@range]`;
 * - a git repository: `github:acme/pack#v2`, `gitlab:group/pack#main`, `bitbucket:team/pack`,
 *   `https://host/x.git#ref`, `git+https://…`, `git+ssh://…`, `ssh://…`, `git://…`, `git+file://…`, or a
 *   path to a local bare repository (a folder with HEAD, objects/ and refs/), optionally with `#ref`.
 *
 * Anything that looks like one of these but is not well formed is a UsageError (exit 2) that names the
 * accepted forms. Whether a folder or tarball exists is checked here too, since that needs no fetch.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { FailedError, UsageError } from "../errors.js";

export type PackSource =
  | { kind: "folder"; given: string; path: string }
  | { kind: "tarball"; given: string; path: string }
  | { kind: "npm"; given: string; spec: string; name: string | undefined }
  | { kind: "git"; given: string; url: string; ref: string | undefined; subfolder?: string };

const SOURCE_FORMS =
  "a folder (./our-templates), a tarball (./pack.tgz), an npm spec (npm:@acme/mw-pack@^2 or @acme/mw-pack), " +
  "or a git repository (github:acme/pack#v2, gitlab:group/pack#main, https://host/pack.git#ref)";

function malformed(given: string, problem: string): never {
  throw new UsageError(`Template source "${redactSource(given)}" is malformed: ${problem}. Accepted: ${SOURCE_FORMS}.`);
}

// npm's rules, loosely: lowercase URL-safe characters; the registry refuses the rest anyway.
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const NPM_RANGE = /^[\w.^~<>=| *+-]+$/;
const FORGE_PATH = /^[\w.-]+(?:\/[\w.-]+)+$/;
const FORGES: Record<string, string> = { github: "github.com", gitlab: "gitlab.com", bitbucket: "bitbucket.org" };
const GIT_URL = /^(?:git\+)?(?:https?|ssh|git|file):\/\//;
const GIT_REF = /^[\w./@+-]+$/;

/**
 * npm's `::path:<dir>` after the ref (`#v2::path:packs/mw`, or `#::path:packs/mw` for no ref): the pack is
 * that folder of the repository. A relative path inside it, forward slashes, no `..`.
 */
function splitSubfolder(given: string, text: string): { text: string; subfolder: string | undefined } {
  const marker = text.indexOf("::path:");
  if (marker === -1) return { text, subfolder: undefined };
  const subfolder = text.slice(marker + "::path:".length).replace(/\/+$/, "");
  if (!/^[\w.@+-]+(?:\/[\w.@+-]+)*$/.test(subfolder) || subfolder.split("/").some((segment) => segment === ".." || segment === ".")) {
    malformed(given, `"::path:${subfolder}" must name a folder inside the repository (::path:packs/mw)`);
  }
  const rest = text.slice(0, marker);
  return { text: rest.endsWith("#") ? rest.slice(0, -1) : rest, subfolder };
}

function splitRef(given: string, text: string): { base: string; ref: string | undefined } {
  const hash = text.indexOf("#");
  if (hash === -1) return { base: text, ref: undefined };
  const ref = text.slice(hash + 1);
  // npm's form for a version range of a git dependency: #semver:^2 (git-versions.ts resolves it).
  if (ref.startsWith("semver:")) {
    if (!/^semver:[\w.^~<>=| *+-]+$/.test(ref)) malformed(given, `"${ref}" is not a version range`);
    return { base: text.slice(0, hash), ref };
  }
  if (!GIT_REF.test(ref) || ref.includes("..") || ref.startsWith("-")) malformed(given, `"${ref}" is not a git branch, tag or commit`);
  return { base: text.slice(0, hash), ref };
}

/** `@acme/x@^2` -> { name: "@acme/x", range: "^2" }. */
function splitNpmSpec(spec: string): { name: string; range: string | undefined } {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return at === -1 ? { name: spec, range: undefined } : { name: spec.slice(0, at), range: spec.slice(at + 1) };
}

function npmSource(given: string, spec: string): PackSource {
  if (spec === "") malformed(given, "nothing follows npm:");
  // A local folder or tarball through the package manager (`npm:file:../pack`): npm resolves it.
  if (spec.startsWith("file:")) {
    if (spec.length === "file:".length) malformed(given, "file: names no path");
    return { kind: "npm", given, spec, name: undefined };
  }
  const { name, range } = splitNpmSpec(spec);
  if (!NPM_NAME.test(name)) malformed(given, `"${name}" is not an npm package name`);
  if (range !== undefined && (range === "" || !NPM_RANGE.test(range))) malformed(given, `"${range}" is not a version, range or tag`);
  return { kind: "npm", given, spec, name };
}

/** A local bare repository: git's own layout, no work tree. */
function isBareRepository(folder: string): boolean {
  const has = (entry: string, directory: boolean) => {
    const info = statSync(path.join(folder, entry), { throwIfNoEntry: false });
    return info !== undefined && info.isDirectory() === directory;
  };
  return has("HEAD", false) && has("objects", true) && has("refs", true);
}

export function parsePackSource(given: string, cwd: string): PackSource {
  const text = given.trim();
  if (text === "") malformed(given, "it is empty");

  if (text.startsWith("npm:")) return npmSource(given, text.slice(4));

  const forge = /^([a-z]+):(?!\/\/)(.*)$/.exec(text);
  if (forge && FORGES[forge[1]!]) {
    const { text: spec, subfolder } = splitSubfolder(given, forge[2]!);
    const { base, ref } = splitRef(given, spec);
    if (!FORGE_PATH.test(base)) malformed(given, `"${base}" is not owner/repository`);
    const repository = base.endsWith(".git") ? base : `${base}.git`;
    return { kind: "git", given, url: `https://${FORGES[forge[1]!]}/${repository}`, ref, ...(subfolder ? { subfolder } : {}) };
  }

  if (GIT_URL.test(text)) {
    const { text: spec, subfolder } = splitSubfolder(given, text);
    const { base, ref } = splitRef(given, spec);
    const inFolder = subfolder ? { subfolder } : {};
    const url = base.replace(/^git\+/, "");
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      malformed(given, `"${url}" is not a URL`);
    }
    if (parsed.protocol === "file:") return { kind: "git", given, url, ref, ...inFolder };
    if (parsed.hostname === "" || parsed.pathname.length <= 1) malformed(given, `"${url}" names no repository`);
    // A plain https:// address is a git repository only when it says so: a .git path or a git+ prefix.
    if (/^https?:$/.test(parsed.protocol) && !text.startsWith("git+") && !parsed.pathname.endsWith(".git")) {
      malformed(given, "an https:// source must end in .git (or start with git+https://)");
    }
    return { kind: "git", given, url, ref, ...inFolder };
  }

  if (/^@[^/\\]+\/[^/\\]+$/.test(text)) return npmSource(given, text);

  // A URL-like source we do not know ("foo:bar"), but not a Windows drive ("C:\packs").
  if (/^[a-z][a-z0-9+.-]+:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) {
    malformed(given, `unknown kind "${text.slice(0, text.indexOf(":") + 1)}"`);
  }

  const { text: local, subfolder } = splitSubfolder(given, text);
  const { base, ref } = local.includes("#") ? splitRef(given, local) : { base: local, ref: undefined };
  const resolved = path.resolve(cwd, base);
  let info;
  try {
    info = statSync(resolved, { throwIfNoEntry: false });
  } catch (error) {
    // A name too long for the file system, or a path through a file: nothing there to use.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTDIR") malformed(given.length > 80 ? `${given.slice(0, 80)}…` : given, `it cannot be looked up (${code ?? "unknown error"})`);
    info = undefined;
  }
  if (info?.isDirectory() && isBareRepository(resolved)) return { kind: "git", given, url: resolved, ref, ...(subfolder ? { subfolder } : {}) };
  if (subfolder !== undefined)
    malformed(given, `"::path:${subfolder}" names a folder of a git repository, but ${resolved} is not one (for a folder, point at it directly)`);
  // The form is right (a path and a ref); the repository is what is missing: a failed fetch, exit 1 (docs/packs.md).
  if (ref !== undefined) {
    throw new FailedError(
      `Could not fetch the template pack "${redactSource(given)}": ${info ? `${resolved} is not a bare git repository` : `there is no git repository at ${resolved}`}, ` +
        "so it has no ref to check out. Point --template at a bare repository (git clone --bare), or drop the #ref to use a plain folder.",
    );
  }
  if (!info) {
    throw new UsageError(
      `Template pack "${given}" was not found (looked for ${resolved}). Point --template at ${SOURCE_FORMS}; ` +
        "`create-middleware template init <dir>` starts a pack.",
    );
  }
  if (info.isDirectory()) return { kind: "folder", given, path: resolved };
  if (/\.(tgz|tar\.gz)$/i.test(resolved)) return { kind: "tarball", given, path: resolved };
  throw new UsageError(`Template pack "${given}" is a file but not a .tgz tarball. Point --template at ${SOURCE_FORMS}.`);
}

/**
 * The source without credentials, for the answers file, --json, messages and the cache's refs index:
 * `https://user:token@host/x.git` -> `https://host/x.git`; an ssh user name (`git@host`) is not a secret and
 * stays (its password, if any, does not); a token in the query (`?private_token=…`) becomes `***`. Works
 * on any text, wherever a URL appears in it (a command line, a tool's output, a cache key).
 */
export function redactSource(given: string): string {
  return given
    .replace(/\b((?:git\+)?([a-z][a-z0-9+.-]*):\/\/)([^@/#?\s'"`]*)@/gi, (_, scheme: string, protocol: string, userinfo: string) =>
      /^(?:ssh|git)$/i.test(protocol) ? `${scheme}${userinfo.split(":")[0]}@` : scheme,
    )
    .replace(/([?&][^=&#\s]*(?:token|key|secret|password|passwd|auth|sig|signature|credential)[^=&#\s]*=)[^&#\s'"`]*/gi, "$1***");
}
