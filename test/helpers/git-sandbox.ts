/**
 * A temporary folder for tests that run git and the built CLI in repositories of their own. Its git config
 * (an identity, `main` as the default branch) is a file in the folder, and no user's or system's config is
 * read, so the tests behave the same on every machine and in CI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before } from "node:test";
import { runCli, tempDir } from "./cli.js";

export interface GitSandbox {
  /** The folder; set once the file's `before` hook has run. */
  readonly path: string;
  /** The environment git and the CLI run with: the sandbox's git config (and pack cache, when asked). */
  readonly env: NodeJS.ProcessEnv;
  /** The built CLI in `cwd`. */
  cm(cwd: string, ...args: string[]): ReturnType<typeof runCli>;
  /** git in `cwd` (never the repository of a surrounding GIT_DIR), asserting it succeeds; its stdout. */
  git(cwd: string, ...args: string[]): string;
}

/**
 * Registers the hooks that make the sandbox before the tests of the file (or describe) it is called in and
 * remove it after them. `packCache`: packs fetched during the tests are cached in the sandbox too.
 */
export function gitSandbox(prefix: string, options: { packCache?: boolean } = {}): GitSandbox {
  let work: { path: string; remove: () => Promise<void> } | undefined;
  let env: NodeJS.ProcessEnv = {};
  before(async () => {
    work = await tempDir(prefix);
    const config = path.join(work.path, "gitconfig");
    await writeFile(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n");
    env = {
      GIT_CONFIG_GLOBAL: config,
      GIT_CONFIG_NOSYSTEM: "1",
      ...(options.packCache ? { CREATE_MIDDLEWARE_CACHE: path.join(work.path, "cache") } : {}),
    };
  });
  after(() => work?.remove());
  return {
    get path() {
      assert.ok(work, "the sandbox is made by a before hook: use it inside tests and hooks");
      return work.path;
    },
    get env() {
      return env;
    },
    cm: (cwd, ...args) => runCli(args, { cwd, env, timeoutMs: 60_000 }),
    git(cwd, ...args) {
      const result = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...env, GIT_DIR: undefined, GIT_WORK_TREE: undefined } });
      assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
      return result.stdout;
    },
  };
}

/** Every file of a package outside .git, path -> text: what "unchanged" means in the tests. */
export async function packageFiles(directory: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(directory, file);
    if (relative === ".git" || relative.startsWith(`.git${path.sep}`) || !entry.isFile()) continue;
    out[relative.split(path.sep).join("/")] = await readFile(file, "utf8");
  }
  return out;
}
