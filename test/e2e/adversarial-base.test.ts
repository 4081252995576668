/**
 * A hostile base, against the built CLI: `update` reads the package's base from its git repository (the
 * pristine renders on refs/create-middleware/base, else create's initial commit; docs/update.md, "Where the
 * base comes from"), and a repository is untrusted input like a pack: a clone or a fetched ref can carry a
 * blob of gigabytes, a tree of millions of entries, a link or a path leading out of the package. Each row
 * plants one such base with git's plumbing (git add makes none of them) and checks the exit code, the
 * message, that no file of the package changed (bytes before and after, links included) and that no
 * pristine render was recorded. The limits are the product's own (pristine.ts exports them).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MAX_BASE_BYTES, MAX_BASE_ENTRIES } from "../../src/system/pristine.js";
import { USER_FILE_LIMIT } from "../../src/system/read-user-file.js";
import { runCli, tempDir } from "../helpers/cli.js";

const BASE_REF = "refs/create-middleware/base";
const INITIAL = "Initial commit from create-middleware";
const CRASH = /Unexpected error|^\s+at .+:\d+:\d+\)?$|node:internal|Error \[ERR_/m;

let work: { path: string; remove: () => Promise<void> };
let env: NodeJS.ProcessEnv;
/** A package as create made it (its repository, its pristine render), copied for each row. */
let made: string;

const git = (cwd: string, args: string[], input?: string | Buffer): string => {
  const result = spawnSync("git", args, {
    cwd,
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env, GIT_DIR: undefined, GIT_WORK_TREE: undefined },
  });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
};

before(async () => {
  work = await tempDir("cm-adversarial-base-");
  const config = path.join(work.path, "gitconfig");
  writeFileSync(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n");
  env = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1" };
  const result = await runCli(["made", "--yes", "--no-install"], { cwd: work.path, env, timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  made = path.join(work.path, "made");
  assert.ok(git(made, ["rev-parse", "--verify", BASE_REF]), "create kept its render");
});
after(() => work.remove());

let copies = 0;
function copyOfMade(): string {
  const dir = path.join(work.path, `case-${++copies}`);
  cpSync(made, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Every path of the package (outside .git), with its bytes' hash or its link's target: what "unchanged" means. */
function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file);
    if (relative === ".git" || relative.startsWith(`.git${path.sep}`)) continue;
    const info = lstatSync(file);
    if (info.isSymbolicLink()) entries.set(relative, `link ${readlinkSync(file)}`);
    else if (info.isFile()) entries.set(relative, `file ${info.mode.toString(8)} ${createHash("sha256").update(readFileSync(file)).digest("hex")}`);
    else entries.set(relative, "dir");
  }
  return entries;
}

const blob = (dir: string, contents: string) => git(dir, ["hash-object", "-w", "--stdin"], contents);

/** A tree: `ls-tree` lines (mode type id<TAB>name), made with mktree (which checks neither names nor modes). */
const tree = (dir: string, lines: string[]) => git(dir, ["mktree", "--missing"], `${lines.join("\n")}\n`);

/** The top of the render on BASE_REF, plus `extra` entries: a new render on the ref, as a fetch could bring. */
function plantOnRef(dir: string, extra: string[]): string {
  const tip = git(dir, ["rev-parse", BASE_REF]);
  const top = git(dir, ["ls-tree", tip]).split("\n");
  const commit = git(dir, ["commit-tree", tree(dir, [...top, ...extra]), "-p", tip, "-m", "planted"]);
  git(dir, ["update-ref", BASE_REF, commit]);
  return commit;
}

/** Runs `update` (and `outdated`) and checks what every refusal must: the code, no crash, nothing written. */
async function refused(dir: string, message: RegExp): Promise<void> {
  const before = snapshot(dir);
  const head = git(dir, ["rev-parse", "HEAD"]);
  const ref = spawnSync("git", ["rev-parse", "--verify", "-q", BASE_REF], { cwd: dir, encoding: "utf8" }).stdout.trim();
  for (const args of [["update"], ["update", "--dry-run"], ["outdated"], ["diff"]]) {
    const result = await runCli(args, { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.match(result.stderr, /Nothing was written\./);
    assert.doesNotMatch(result.stderr, CRASH);
  }
  assert.deepEqual(snapshot(dir), before, "no file of the package changed");
  assert.equal(git(dir, ["rev-parse", "HEAD"]), head);
  assert.equal(spawnSync("git", ["rev-parse", "--verify", "-q", BASE_REF], { cwd: dir, encoding: "utf8" }).stdout.trim(), ref, "no render recorded");
  assert.equal(git(dir, ["status", "--porcelain"]), "");
}

const onRef = (problem: string) =>
  new RegExp(
    `the pristine render [0-9a-f]{12} on refs/create-middleware/base, is refused: ${problem}[\\s\\S]*git update-ref -d refs/create-middleware/base`,
  );

describe("a base from the package's repository is held to a pack's bounds and holds only regular files", () => {
  it("the untouched package updates from its pristine render (the control row)", async () => {
    const dir = copyOfMade();
    const result = await runCli(["update", "--schema", "valibot", "--no-install"], { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /base: the pristine render [0-9a-f]{12} kept in the package's repository/);
    assert.match(readFileSync(path.join(dir, "package.json"), "utf8"), /"valibot"/);
  });

  it(`a blob that takes the files past ${MAX_BASE_BYTES} bytes: refused by the size git lists, before any file is read`, async () => {
    const dir = copyOfMade();
    const big = path.join(work.path, "big.bin");
    writeFileSync(big, Buffer.alloc(MAX_BASE_BYTES + 1));
    const id = git(dir, ["hash-object", "-w", big]);
    rmSync(big);
    plantOnRef(dir, [`100644 blob ${id}\tbig.bin`]);
    await refused(
      dir,
      onRef(`its files come to \\d+ bytes, over the 64 MB \\(${MAX_BASE_BYTES} bytes\\) a base \\(like an unpacked template pack\\) may hold`),
    );
  });

  it(`a tree of more than ${MAX_BASE_ENTRIES} entries`, async () => {
    const dir = copyOfMade();
    const id = blob(dir, "x\n");
    const many = tree(
      dir,
      Array.from({ length: MAX_BASE_ENTRIES }, (_, index) => `100644 blob ${id}\tf${index}`),
    );
    plantOnRef(dir, [`040000 tree ${many}\tmany`]);
    await refused(dir, onRef(`its tree has more than ${MAX_BASE_ENTRIES} entries, the most a base \\(like a template pack\\) may hold`));
  });

  it("a symbolic link (mode 120000) to a file outside the package", async () => {
    const dir = copyOfMade();
    writeFileSync(path.join(work.path, "victim.txt"), "keep\n");
    plantOnRef(dir, [`120000 blob ${blob(dir, "../victim.txt")}\tNOTES.md`]);
    await refused(dir, onRef('"NOTES\\.md" is a symbolic link \\(mode 120000\\); a base holds only regular files, and update never follows a link'));
    assert.equal(readFileSync(path.join(work.path, "victim.txt"), "utf8"), "keep\n");
    // The fix the message gives: drop the kept renders; the base is then create's initial commit.
    git(dir, ["update-ref", "-d", BASE_REF]);
    const fixed = await runCli(["update", "--schema", "valibot", "--no-install"], { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /base: the package's initial commit/);
  });

  it("a submodule (mode 160000)", async () => {
    const dir = copyOfMade();
    plantOnRef(dir, [`160000 commit ${"1".repeat(40)}\tvendor`]);
    await refused(dir, onRef('"vendor" is a submodule \\(mode 160000\\)'));
  });

  for (const [name, segment] of [
    ["a path with a .. segment, leading out of the package", ".."],
    ["a path under .git", ".git"],
  ] as const) {
    it(name, async () => {
      const dir = copyOfMade();
      const inner = tree(dir, [`100644 blob ${blob(dir, "planted\n")}\tplanted.txt`]);
      plantOnRef(dir, [`040000 tree ${inner}\t${segment}`]);
      await refused(dir, onRef(`the path "${segment.replace(".", "\\.")}/planted\\.txt" does not stay inside the package`));
    });
  }

  it("a path with a backslash", async () => {
    const dir = copyOfMade();
    plantOnRef(dir, [`100644 blob ${blob(dir, "planted\n")}\t..\\planted.txt`]);
    await refused(dir, onRef('the path "\\.\\.\\\\planted\\.txt" does not stay inside the package'));
  });

  it("a file name holding a terminal escape: refused, the name shown escaped, never raw", async () => {
    const dir = copyOfMade();
    plantOnRef(dir, [`100644 blob ${blob(dir, "planted\n")}\tclear\u001b[2Jscreen.txt`]);
    const before = snapshot(dir);
    const result = await runCli(["update"], { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, onRef('the path "clear\\\\u001b\\[2Jscreen\\.txt" does not stay inside the package'));
    assert.ok(!result.stderr.includes("\u001b"), "no raw escape reaches the terminal");
    assert.deepEqual(snapshot(dir), before);
  });

  it(`an answers file on the ref larger than ${USER_FILE_LIMIT} bytes (the answers file's own limit)`, async () => {
    const dir = copyOfMade();
    const tip = git(dir, ["rev-parse", BASE_REF]);
    const top = git(dir, ["ls-tree", tip])
      .split("\n")
      .filter((line) => !line.endsWith("\t.create-middleware.json"));
    const huge = git(dir, ["hash-object", "-w", "--stdin"], `{"padding":"${"x".repeat(USER_FILE_LIMIT)}"}`);
    const commit = git(dir, ["commit-tree", tree(dir, [...top, `100644 blob ${huge}\t.create-middleware.json`]), "-p", tip, "-m", "planted"]);
    git(dir, ["update-ref", BASE_REF, commit]);
    await refused(dir, onRef(`its answers file \\.create-middleware\\.json is \\d+ bytes, over the 16 MB an answers file may have`));
  });
});

describe("create's initial commit, the base of a clone without the ref, is held to the same bounds", () => {
  it("a symbolic link in an initial commit whose answers match: refused, naming the commit and the fetch that fixes it", async () => {
    const dir = copyOfMade();
    git(dir, ["update-ref", "-d", BASE_REF]);
    const first = git(dir, ["rev-list", "--max-parents=0", "HEAD"]);
    const top = git(dir, ["ls-tree", first]).split("\n");
    const root = git(dir, ["commit-tree", tree(dir, [...top, `120000 blob ${blob(dir, "../victim.txt")}\tlink`]), "-m", INITIAL]);
    git(dir, ["reset", "-q", "--hard", root]);
    writeFileSync(path.join(work.path, "victim.txt"), "keep\n");
    await refused(
      dir,
      new RegExp(
        `the package's initial commit ${root.slice(0, 12)} \\("${INITIAL}"\\), is refused: "link" is a symbolic link[\\s\\S]*git fetch origin ${BASE_REF}:${BASE_REF}`,
      ),
    );
    assert.equal(readFileSync(path.join(work.path, "victim.txt"), "utf8"), "keep\n");
    // The fix the message gives: fetch the kept renders (here from the package's first copy), taken first.
    git(dir, ["fetch", "-q", made, `${BASE_REF}:${BASE_REF}`]);
    const fixed = await runCli(["update", "--schema", "valibot", "--no-install"], { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /base: the pristine render [0-9a-f]{12} kept in the package's repository/);
  });
});
