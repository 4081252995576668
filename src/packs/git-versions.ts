/**
 * A git pack's versions are its tags (docs/packs.md): `git ls-remote --tags` lists them without a clone.
 * What a git source's ref means:
 *
 * - none: the highest version tag (`v10.0.0` > `v2.0.0`, the `v` optional, tags that are not versions and
 *   prereleases ignored), as copier does; the default branch when the repository has no version tag;
 * - `#HEAD`: the default branch;
 * - `#semver:^2`: the highest version tag in that npm range (npm's own form for git dependencies);
 * - anything else: that branch, tag or commit, as git reads it.
 */
import { FailedError } from "../errors.js";
import { runCommand, type RunResult } from "../system/run-command.js";
import { describeFailure } from "./fetch-common.js";
import { highest, parseRange, parseVersion, type Version } from "./versions.js";

export interface GitTag {
  name: string;
  /** The commit the tag points at (annotated tags peeled). */
  commit: string;
  version: Version;
}

/** The environment git asks a remote with: never a prompt for credentials. */
function remoteGitEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: process.env.GIT_ASKPASS ?? "", LC_ALL: "C" };
}

/** The version tags of a remote, or the failed run (unreachable, timed out) for the caller to word. */
export async function listVersionTags(url: string, timeoutMs: number): Promise<GitTag[] | RunResult> {
  const run = await runCommand(
    { command: "git", args: ["ls-remote", "--tags", "--", url] },
    { cwd: process.cwd(), env: remoteGitEnvironment(), timeoutMs },
  );
  if (!run.ok) return run;
  const commits = new Map<string, string>();
  for (const line of run.stdout.split("\n")) {
    const [object, ref] = line.trim().split(/\s+/);
    if (!object || !ref?.startsWith("refs/tags/")) continue;
    const peeled = ref.endsWith("^{}");
    const name = ref.slice("refs/tags/".length, peeled ? -3 : undefined);
    // The peeled line (the commit of an annotated tag) wins over the tag object's own id.
    if (peeled || !commits.has(name)) commits.set(name, object);
  }
  return [...commits].flatMap(([name, commit]) => {
    const version = parseVersion(name);
    return version ? [{ name, commit, version }] : [];
  });
}

/** The semver range of a `#semver:<range>` ref; undefined for any other ref. */
export function semverRef(ref: string | undefined): string | undefined {
  return ref?.startsWith("semver:") ? ref.slice("semver:".length) : undefined;
}

/**
 * The ref to fetch for a git source's ref: a tag name, a branch or commit as given, or undefined for the
 * default branch. Asks the remote only when the ref is absent or a range.
 */
export async function resolveGitRef(given: string, url: string, ref: string | undefined, timeoutMs: number): Promise<string | undefined> {
  if (ref === "HEAD") return undefined;
  const range = semverRef(ref);
  if (ref !== undefined && range === undefined) return ref;
  const tags = await listVersionTags(url, timeoutMs);
  if (!Array.isArray(tags)) {
    // No ref: the clone that follows reports the unreachable remote in the words of every other fetch.
    if (range === undefined) return undefined;
    throw new FailedError(`Could not fetch the template pack "${given}": ${describeFailure(tags, "git")}`);
  }
  if (range === undefined) return highest(tags.map((tag) => tag.version))?.text; // no version tag: the default branch
  const parsed = parseRange(range);
  if (!parsed) throw new FailedError(`The template pack "${given}" names "${range}", which is not a version range (use #semver:^2, say).`);
  const best = highest(
    tags.map((tag) => tag.version),
    parsed,
  );
  if (!best) {
    const known =
      tags
        .map((tag) => tag.name)
        .slice(-10)
        .join(", ") || "none";
    throw new FailedError(`The template pack "${given}" has no version tag in ${range} (version tags: ${known}).`);
  }
  return best.text;
}
