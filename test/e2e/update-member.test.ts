/**
 * `update`, `diff` and `outdated` on a monorepo's members (docs/update.md): a member has no repository of
 * its own, so its pristine renders live in the monorepo's, under its folder; and its render is adapted as
 * create wrote it (its .github/ moved to the root), so nothing create moved reads as deleted by the user.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { gitSandbox } from "../helpers/git-sandbox.js";

const work = gitSandbox("cm-update-member-");
const { cm, git } = work;

/** An npm workspace root with its own git repository, committed. */
async function monorepo(name: string): Promise<string> {
  const root = path.join(work.path, name);
  await mkdir(root);
  await writeFile(path.join(root, "package.json"), `${JSON.stringify({ name, private: true, workspaces: ["packages/*"] }, null, 2)}\n`);
  git(root, "init", "-q");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "The workspace");
  return root;
}

const USER_LINE = "// Team note: request ids are logged by the gateway too.";

async function addUserLine(pkg: string): Promise<void> {
  const index = path.join(pkg, "src", "index.ts");
  await writeFile(index, (await readFile(index, "utf8")).replace(/^(export function )/m, `${USER_LINE}\n$1`));
}

async function writePack(pack: string, support: string): Promise<void> {
  await mkdir(path.join(pack, "express", "_partials"), { recursive: true });
  await writeFile(path.join(pack, "express", "_partials", "readme-more.hbs"), `\n## Support\n\n${support}\n`);
}

describe("a member's .github/, moved to the workspace root by create", () => {
  it("is not reported as deleted by diff, nor listed by update", async () => {
    const root = await monorepo("mono-noise");
    const made = await cm(root, "rl", "--yes", "--no-install");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(root, "packages", "rl");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "The rl package");

    const clean = await cm(pkg, "diff", "--stat", "--exit-code");
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /no changes against the templates/);

    await addUserLine(pkg);
    git(root, "commit", "-qam", "Note about ids");
    const drift = await cm(pkg, "diff", "--stat");
    assert.equal(drift.code, 0, drift.stderr);
    assert.deepEqual(drift.stdout.trim().split("\n"), ["modified  src/index.ts"]);

    const dryRun = await cm(pkg, "update", "--dry-run", "--json");
    assert.equal(dryRun.code, 0, dryRun.stderr);
    const paths = (JSON.parse(dryRun.stdout) as { files: { path: string }[] }).files.map((file) => file.path);
    assert.ok(paths.includes("src/index.ts"), paths.join(", "));
    assert.deepEqual(
      paths.filter((file) => file.startsWith(".github/")),
      [],
    );
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 0, outdated.stdout + outdated.stderr);
  });
});

describe("members made from a pack folder edited in place", () => {
  it("update finds each member's base in the monorepo's repository, keeps the user's edits, and records the next base", async () => {
    const root = await monorepo("mono-pack");
    const pack = path.join(work.path, "mono-team-pack");
    await writePack(pack, "Ask in #team-platform.");
    for (const name of ["rl", "audit"]) {
      const made = await cm(root, name, "--yes", "--no-install", "--template", "../mono-team-pack");
      assert.equal(made.code, 0, made.stderr);
    }
    const rl = path.join(root, "packages", "rl");
    const audit = path.join(root, "packages", "audit");
    await addUserLine(rl);
    git(root, "add", "-A");
    git(root, "commit", "-qm", "Two packages; a note about ids");

    // The pack changes in place: the version it was made from exists nowhere else any more.
    await writePack(pack, "Ask in #team-platform (weekdays).");
    const outdated = await cm(rl, "outdated");
    assert.equal(outdated.code, 1, outdated.stdout + outdated.stderr);
    assert.match(outdated.stdout, /changed\s+README\.md/);

    const updated = await cm(rl, "update");
    assert.equal(updated.code, 0, updated.stdout + updated.stderr);
    assert.match(updated.stdout, /base: the pristine render [0-9a-f]{12} kept in the repository, under packages\/rl/);
    assert.match(updated.stdout, /updated\s+README\.md/);
    assert.ok((await readFile(path.join(rl, "src", "index.ts"), "utf8")).includes(USER_LINE), "the user's line is kept");
    assert.match(await readFile(path.join(rl, "README.md"), "utf8"), /Ask in #team-platform \(weekdays\)\./);
    git(root, "add", "-A");
    git(root, "commit", "-qm", "Update rl");
    const current = await cm(rl, "outdated");
    assert.equal(current.code, 0, current.stdout + current.stderr);
    const drift = await cm(rl, "diff", "--stat");
    assert.deepEqual(drift.stdout.trim().split("\n"), ["modified  src/index.ts"], "the new base is the render just merged");

    // rl's render replaced only its own folder on the ref: audit's base is still there.
    const other = await cm(audit, "update", "--json");
    assert.equal(other.code, 0, other.stdout + other.stderr);
    assert.equal((JSON.parse(other.stdout) as { base: { kind: string } }).base.kind, "git");
    assert.match(await readFile(path.join(audit, "README.md"), "utf8"), /Ask in #team-platform \(weekdays\)\./);
    const tree = git(root, "ls-tree", "-r", "--name-only", "refs/create-middleware/base");
    assert.match(tree, /^packages\/rl\/\.create-middleware\.json$/m);
    assert.match(tree, /^packages\/audit\/\.create-middleware\.json$/m);
    assert.doesNotMatch(tree, /^\.github\//m, "a member's render holds no .github/");
  });
});
