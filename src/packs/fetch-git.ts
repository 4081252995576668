/**
 * A git pack source -> a checked, unpacked folder in the cache, through the system's git: a bare clone
 * into a temporary folder (shallow when a branch or tag is named), the ref resolved to a commit, then
 * `git archive` of that commit read by our own tar reader (tarball.ts), which refuses symbolic links and
 * escaping paths before anything is written. Cached by commit; `--offline` uses what the same source and
 * ref resolved to last time (or the commit itself when the ref is a full sha).
 *
 * git rather than a tarball downloader: it speaks every host and protocol (https, ssh, file), uses the
 * user's credentials helpers, and never prompts here (GIT_TERMINAL_PROMPT=0, ssh with BatchMode=yes).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { FailedError } from "../errors.js";
import { runCommand, type RunOptions, type RunResult } from "../system/run-command.js";
import { MAX_ARCHIVE_BYTES, MAX_BYTES, UnsafeArchiveError } from "./tarball.js";
import { cachedPackPath, readRef, writeRef } from "./cache.js";
import { resolveGitRef } from "./git-versions.js";
import { describeFailure, inScratchFolder, offlineMiss, unpackIntoCache, type Fetched } from "./fetch-common.js";

const GIT_TIMEOUT_MS = 120_000;

const FULL_SHA = /^[0-9a-f]{40}$/;

const usesSsh = (url: string) => /^(?:git\+)?ssh:\/\//i.test(url);

/**
 * ssh with BatchMode=yes, so it fails instead of asking (a host key, a passphrase): git never prompts here.
 * Built on what the user has (GIT_SSH_COMMAND, else core.sshCommand, else ssh), so their keys and options
 * still apply.
 */
async function batchSshCommand(git: (args: string[], cwd?: string) => Promise<RunResult>): Promise<string> {
  let base = process.env.GIT_SSH_COMMAND;
  if (!base) {
    const configured = await git(["config", "--get", "core.sshCommand"], process.cwd());
    base = configured.ok && configured.stdout.trim() !== "" ? configured.stdout.trim() : "ssh";
  }
  return `${base} -o BatchMode=yes`;
}

export async function fetchGitPack(
  given: string,
  url: string,
  ref: string | undefined,
  options: { cwd: string; cacheRoot: string; offline: boolean; subfolder?: string },
): Promise<Fetched> {
  const subfolder = options.subfolder;
  const key = `git:${url}#${ref ?? ""}${subfolder ? `::path:${subfolder}` : ""}`;
  // A full commit id names one tree for good: a cached copy of it is that pack, online too (its files'
  // sha256 is checked by load-pack.ts). So a commit fetched once (an `update --from` clone's, not pushed
  // yet) still renders the base of the next update, and a pinned replay fetches nothing.
  if (ref && FULL_SHA.test(ref)) {
    const cached = cachedPackPath(options.cacheRoot, "git", subfolder ? `${ref}::${subfolder}` : ref);
    if (existsSync(cached)) return { root: cached, resolved: ref, fromCache: true };
  }
  if (options.offline) {
    const cachedRef = readRef(options.cacheRoot, key);
    if (!cachedRef) offlineMiss(given, options.cacheRoot);
    return { root: cachedRef.path, resolved: cachedRef.resolved, fromCache: true };
  }

  // No ref, #HEAD or #semver:<range>: the tag (or default branch) it means now (git-versions.ts).
  const concrete = await resolveGitRef(given, url, ref, GIT_TIMEOUT_MS);
  return inScratchFolder(options.cacheRoot, "git", (work) => fetchIntoCache(given, url, concrete, key, options.cacheRoot, work, subfolder));
}

/** Clones into `work`, resolves the ref to a commit, and unpacks `git archive` of it into the cache. */
async function fetchIntoCache(
  given: string,
  url: string,
  ref: string | undefined,
  key: string,
  cacheRoot: string,
  work: string,
  subfolder?: string,
): Promise<Fetched> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: process.env.GIT_ASKPASS ?? "", LC_ALL: "C" };
  const git = (args: string[], cwd = work, extra: Partial<RunOptions> = {}): Promise<RunResult> =>
    runCommand({ command: "git", args }, { cwd, env, timeoutMs: GIT_TIMEOUT_MS, ...extra });
  if (usesSsh(url)) env.GIT_SSH_COMMAND = await batchSshCommand(git);
  const fail = (run: RunResult): never => {
    throw new FailedError(`Could not fetch the template pack "${given}": ${describeFailure(run, "git")}`);
  };
  const repository = path.join(work, "repo.git");
  // A commit cannot be cloned by name: clone everything (packs are small). A branch or tag: shallow.
  const shallow = ref === undefined || !/^[0-9a-f]{7,40}$/.test(ref);
  const clone = await git([
    "clone",
    "--bare",
    "--quiet",
    ...(shallow ? ["--depth", "1", "--no-tags"] : []),
    ...(shallow && ref ? ["--branch", ref] : []),
    "--",
    url,
    repository,
  ]);
  if (!clone.ok) fail(clone);
  const parsed = await git(["rev-parse", "--verify", "--quiet", `${ref ?? "HEAD"}^{commit}`], repository);
  if (!parsed.ok || !FULL_SHA.test(parsed.stdout.trim())) {
    throw new FailedError(`Could not fetch the template pack "${given}": the repository has no branch, tag or commit "${ref ?? "HEAD"}".`);
  }
  const commit = parsed.stdout.trim();
  const destination = cachedPackPath(cacheRoot, "git", subfolder ? `${commit}::${subfolder}` : commit);
  if (!existsSync(destination)) {
    // Streamed into memory and stopped at the budget: a small repository of huge compressible files must
    // not write gigabytes first (tarball.ts checks the rest). ::path:<dir>: the archive of that folder's
    // tree, so the pack's files are at its root.
    const archived = await git(["archive", "--format=tar", subfolder ? `${commit}:${subfolder}` : commit], repository, {
      bytes: true,
      maxOutputBytes: MAX_ARCHIVE_BYTES,
    });
    if (archived.failure === "too-large")
      throw new UnsafeArchiveError(`it unpacks to more than ${MAX_BYTES / 1024 / 1024} MB (git archive was stopped there)`);
    const tar = archived.stdoutBytes;
    if (!archived.ok || tar === undefined) return fail(archived);
    unpackIntoCache(given, tar, work, destination);
  }
  writeRef(cacheRoot, key, { resolved: commit, path: destination });
  return { root: destination, resolved: commit, fromCache: false };
}
