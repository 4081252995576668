/**
 * The package's source repository: a URL the user gives (--repo, the prompt) or the `origin` remote of the
 * git repository the package is created in. It becomes package.json's `repository`, `homepage` and `bugs`,
 * which npm needs to publish with provenance. Parsing is pure; finding the remote reads one git config file.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { readUserFile } from "./read-user-file.js";

/** What the templates print (docs/templates.md): every URL already in its package.json form. */
export interface RepositoryView {
  /** The repository's web page: "https://github.com/acme/my-logger". */
  web: string;
  /** package.json `repository.url`: "git+https://github.com/acme/my-logger.git". */
  url: string;
  homepage: string;
  /** The issue tracker, for GitHub and GitLab; null for other hosts. */
  bugs: string | null;
  /** Where to report a vulnerability privately (GitHub's advisories); null elsewhere. */
  advisories: string | null;
  /** GitLab's private channel: a new issue, marked confidential (only the project's members see it); null elsewhere. */
  confidentialIssue: string | null;
}

const SHORTHAND_HOSTS: Record<string, string> = { github: "github.com", gitlab: "gitlab.com", bitbucket: "bitbucket.org" };

/**
 * The web URL of a repository given as https://host/owner/repo(.git), git+https://…, ssh://git@host/…,
 * git@host:owner/repo.git, github:owner/repo (also gitlab:, bitbucket:) or owner/repo (GitHub, as npm
 * reads it). Undefined when the value is none of these.
 */
export function repositoryWebUrl(value: string): string | undefined {
  const text = value.trim();
  let host: string | undefined;
  let repoPath: string | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/\s]+@)?([^/:\s]+)(?::\d+)?\/([^\s?#]+)$/i.exec(text))) {
    [, host, repoPath] = match;
  } else if ((match = /^[\w.-]+@([^:/\s]+):([^\s?#]+)$/.exec(text))) {
    [, host, repoPath] = match;
  } else if ((match = /^(github|gitlab|bitbucket):([^\s?#]+)$/i.exec(text))) {
    host = SHORTHAND_HOSTS[match[1]!.toLowerCase()];
    repoPath = match[2];
  } else if ((match = /^([\w.-]+\/[\w.-]+)$/.exec(text))) {
    host = "github.com";
    repoPath = match[1];
  }
  if (host === undefined || repoPath === undefined) return undefined;
  const segments = repoPath
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .split("/");
  if (segments.length < 2 || segments.some((segment) => !/^[\w.-]+$/.test(segment) || /^\.+$/.test(segment))) return undefined;
  return `https://${host.toLowerCase()}/${segments.join("/")}`;
}

/** The web URL, or a usage error saying which forms are understood. */
export function parseRepository(value: string): string {
  const web = repositoryWebUrl(value);
  if (web === undefined) {
    throw new UsageError(
      `"${value}" is not a repository URL. Give one like https://github.com/owner/repo, git@github.com:owner/repo.git or owner/repo.`,
    );
  }
  return web;
}

export function repositoryView(web: string): RepositoryView {
  const host = new URL(web).hostname;
  const github = host === "github.com";
  const gitlab = host === "gitlab.com";
  return {
    web,
    url: `git+${web}.git`,
    homepage: `${web}#readme`,
    bugs: github ? `${web}/issues` : gitlab ? `${web}/-/issues` : null,
    advisories: github ? `${web}/security/advisories/new` : null,
    confidentialIssue: gitlab ? `${web}/-/issues/new?issue[confidential]=true` : null,
  };
}

/** `remote "origin"`'s url in a git config file's text; undefined when there is none. */
export function originUrlFromConfig(text: string): string | undefined {
  let inOrigin = false;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (section) {
      inOrigin = /^remote\s+"origin"$/.test(section[1]!);
      continue;
    }
    const entry = inOrigin ? /^\s*url\s*=\s*"?([^"#;]*?)"?\s*(?:[#;].*)?$/i.exec(line) : null;
    if (entry?.[1]) return entry[1];
  }
  return undefined;
}

/**
 * The web URL of the `origin` remote of the git repository that holds `directory` (the nearest `.git`
 * upward), when it is a repository URL; undefined when there is no repository or no such remote.
 */
export function gitRemoteRepository(directory: string): string | undefined {
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    const dotGit = path.join(current, ".git");
    const config = gitConfigPath(dotGit);
    if (config !== undefined) {
      try {
        const url = originUrlFromConfig(readSmall(config));
        return url === undefined ? undefined : repositoryWebUrl(url);
      } catch {
        return undefined;
      }
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/** A git file of the repository around us: never a pipe or a huge file (read-user-file.ts); missing throws. */
function readSmall(file: string): string {
  const bytes = readUserFile(file, { what: "The git file" });
  if (bytes === undefined) throw Object.assign(new Error(`${file} does not exist`), { code: "ENOENT" });
  return bytes.toString("utf8");
}

/** The config file of the repository whose `.git` is at `dotGit` (a folder, or a worktree's `gitdir:` file). */
function gitConfigPath(dotGit: string): string | undefined {
  try {
    if (statSync(dotGit).isDirectory()) return path.join(dotGit, "config");
    const gitDir = /^gitdir:\s*(.+?)\s*$/m.exec(readSmall(dotGit))?.[1];
    if (gitDir === undefined) return undefined;
    const resolved = path.resolve(path.dirname(dotGit), gitDir);
    let common = resolved;
    try {
      common = path.resolve(resolved, readSmall(path.join(resolved, "commondir")).trim());
    } catch {
      // Not a linked worktree: the gitdir holds the config itself.
    }
    return path.join(common, "config");
  } catch {
    return undefined;
  }
}
