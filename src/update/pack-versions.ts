/**
 * What `outdated` says about a pack's versions, like `npm outdated`: the version the package is at
 * (current), the newest its recorded source allows (wanted: in the npm range or dist-tag, the `#semver:`
 * range, the highest version tag for a git source without a ref, the pinned tag itself), and the newest
 * there is (latest: the `latest` dist-tag, the highest version tag; prereleases only when the package is at
 * one). Read from the registry (`npm view`) or the remote (`git ls-remote`) with a short time limit; each
 * answer is kept in the cache, so with the registry or remote down `outdated` answers from the last one,
 * saying so. Folder and tarball packs have no versions to ask about (their content decides, update.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AnswersFile } from "../answers/answers-file.js";
import { runCommand } from "../system/run-command.js";
import { cacheRoot, sha256 } from "../packs/cache.js";
import { listVersionTags, semverRef } from "../packs/git-versions.js";
import { parsePackSource, redactSource } from "../packs/source-spec.js";
import { compareVersions, highest, parseRange, parseVersion, type Version } from "../packs/versions.js";

/** How long `outdated` waits for the registry or a remote before answering from the cache. */
const LOOKUP_TIMEOUT_MS = 10_000;

export interface PackVersions {
  source: string;
  current: string;
  /** Null when the source names a branch or commit (no version to want: the render decides). */
  wanted: string | null;
  latest: string | null;
  /** The registry or remote did not answer: these come from the cache, stored at this time (ISO). */
  cachedAt: string | null;
  /** wanted or latest is newer than current. */
  behind: boolean;
}

/** What a lookup found: versions (npm) or tags (git), as stored in the cache. */
interface Lookup {
  at: string;
  versions: { name: string; commit?: string }[];
  distTags?: Record<string, string>;
}

const cacheFile = (root: string, source: string) => path.join(root, "versions", `${sha256(source).slice(0, 32)}.json`);

function readCached(root: string, source: string): Lookup | undefined {
  try {
    const cached = JSON.parse(readFileSync(cacheFile(root, source), "utf8")) as Lookup & { source?: string };
    return cached.source === source && Array.isArray(cached.versions) ? cached : undefined;
  } catch {
    return undefined;
  }
}

function writeCached(root: string, source: string, lookup: Lookup): void {
  const file = cacheFile(root, source);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify({ source, ...lookup })}\n`);
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // a cache that cannot be written only means no offline answer next time
  }
}

async function lookupNpm(name: string, cwd: string, root: string): Promise<Lookup | string> {
  // An empty npm cache of its own: npm answers from its cache when the registry is down without saying so,
  // and then the renders would wait on npm's retries. No retries either: a registry that is down is told
  // within the time limit, not after npm's minute of backoff.
  mkdirSync(path.join(root, "tmp"), { recursive: true });
  const npmCache = mkdtempSync(path.join(root, "tmp", "npm-view-"));
  const run = await runCommand(
    {
      command: "npm",
      args: ["view", name, "versions", "dist-tags", "--json", "--fetch-retries=0", `--fetch-timeout=${LOOKUP_TIMEOUT_MS}`, "--cache", npmCache],
    },
    { cwd, timeoutMs: LOOKUP_TIMEOUT_MS + 2_000 },
  ).finally(() => rmSync(npmCache, { recursive: true, force: true }));
  if (!run.ok) return run.failure === "timed-out" ? `npm view ${name} did not answer in ${LOOKUP_TIMEOUT_MS / 1000} s` : `npm view ${name} failed`;
  try {
    const parsed = JSON.parse(run.stdout) as { versions?: string[] | string; "dist-tags"?: Record<string, string> };
    const versions = Array.isArray(parsed.versions) ? parsed.versions : typeof parsed.versions === "string" ? [parsed.versions] : [];
    return { at: new Date().toISOString(), versions: versions.map((version) => ({ name: version })), distTags: parsed["dist-tags"] ?? {} };
  } catch {
    return `npm view ${name} printed no versions`;
  }
}

async function lookupGit(url: string): Promise<Lookup | string> {
  const tags = await listVersionTags(url, LOOKUP_TIMEOUT_MS);
  if (!Array.isArray(tags))
    return tags.failure === "timed-out" ? `the remote did not answer in ${LOOKUP_TIMEOUT_MS / 1000} s` : "git ls-remote failed";
  return { at: new Date().toISOString(), versions: tags.map((tag) => ({ name: tag.name, commit: tag.commit })) };
}

const newer = (a: string | null, than: Version | undefined) => {
  const version = a === null ? undefined : parseVersion(a);
  return version !== undefined && than !== undefined && compareVersions(version, than) > 0;
};

export type VersionsAnswer =
  | { kind: "none" }
  | { kind: "versions"; versions: PackVersions }
  /** Neither the registry nor the cache could answer. */
  | { kind: "unreachable"; reason: string };

/**
 * The pack's versions for `outdated`. `offline` asks nobody (the cache answers); otherwise the registry or
 * remote, then the cache when they do not answer.
 */
export async function packVersions(record: AnswersFile, directory: string, options: { offline: boolean; root?: string }): Promise<VersionsAnswer> {
  if (!record.template) return { kind: "none" };
  let source;
  try {
    source = parsePackSource(record.template.source, directory);
  } catch {
    return { kind: "none" }; // a folder that is gone: the render says so
  }
  if (source.kind !== "npm" && source.kind !== "git") return { kind: "none" };
  if (source.kind === "npm" && source.name === undefined) return { kind: "none" }; // npm:file: -> its content decides
  const root = options.root ?? cacheRoot();
  const key = source.kind === "npm" ? `npm:${source.name}` : `git:${source.url}`;
  let lookup: Lookup | string = options.offline
    ? "--offline"
    : source.kind === "npm"
      ? await lookupNpm(source.name!, directory, root)
      : await lookupGit(source.url);
  let cachedAt: string | null = null;
  if (typeof lookup === "string") {
    const cached = readCached(root, key);
    if (!cached) return { kind: "unreachable", reason: lookup };
    cachedAt = cached.at;
    lookup = cached;
  } else writeCached(root, key, lookup);

  const recorded = record.template.resolved;
  const versions = lookup.versions.flatMap((entry) => {
    const version = parseVersion(entry.name);
    return version ? [{ ...entry, version }] : [];
  });
  let currentVersion: Version | undefined;
  let wanted: string | null;
  let latest: string | null;
  if (source.kind === "npm") {
    currentVersion = parseVersion(recorded);
    const range = source.spec.slice(source.name!.length + 1) || "latest";
    const withPre = (currentVersion?.prerelease.length ?? 0) > 0;
    const parsedRange = parseRange(range);
    wanted = parsedRange
      ? (highest(
          versions.map((entry) => entry.version),
          parsedRange,
          withPre,
        )?.text ?? null)
      : (lookup.distTags?.[range] ?? null);
    latest =
      lookup.distTags?.latest ??
      highest(
        versions.map((entry) => entry.version),
        undefined,
        withPre,
      )?.text ??
      null;
  } else {
    const ref = source.ref;
    const atCommit = versions.filter((entry) => entry.commit === recorded).map((entry) => entry.version);
    currentVersion = (ref !== undefined ? parseVersion(ref) : undefined) ?? highest(atCommit, undefined, true);
    const withPre = (currentVersion?.prerelease.length ?? 0) > 0;
    const all = versions.map((entry) => entry.version);
    latest = highest(all, undefined, withPre)?.text ?? null;
    const range = semverRef(ref);
    if (ref === undefined) wanted = latest;
    else if (range !== undefined) wanted = highest(all, parseRange(range), withPre)?.text ?? null;
    else wanted = parseVersion(ref) ? ref : null; // a pinned tag wants itself; a branch or commit: the render decides
  }
  const current = currentVersion?.text ?? recorded.slice(0, 12);
  // A git package not at a version tag (a branch) is behind when the tag it wants is another commit.
  const wantedCommit = source.kind === "git" && wanted !== null ? versions.find((entry) => entry.name === wanted)?.commit : undefined;
  const movedOn = wantedCommit !== undefined && wantedCommit !== recorded;
  return {
    kind: "versions",
    versions: {
      source: redactSource(record.template.source),
      current,
      wanted,
      latest,
      cachedAt,
      behind: movedOn || newer(wanted, currentVersion) || newer(latest, currentVersion),
    },
  };
}
