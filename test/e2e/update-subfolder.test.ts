/**
 * A package in a folder of a larger git repository that is not a monorepo workspace (`repo/services/auth-mw`,
 * made there by `create`): it has no repository of its own, so its pristine renders go into the enclosing
 * one, under its folder (system/pristine.ts), and `update`, `diff` and `outdated` work from there, as for a
 * monorepo's member (update-member.test.ts). A package made before the repository existed (copier's own
 * setup) has no render kept: its base is a fresh render of the recorded pack commit.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { gitSandbox } from "../helpers/git-sandbox.js";

const work = gitSandbox("cm-update-subfolder-", { packCache: true });
const { cm, git } = work;

const USER_LINE = "// Team note: tokens are checked by the gateway too.";

/** A pack folder: the README's support section, and a TEAM.md every package gets. */
async function writePack(pack: string, version: { support: string; owner: string }): Promise<void> {
  await mkdir(path.join(pack, "express", "_partials"), { recursive: true });
  await mkdir(path.join(pack, "base"), { recursive: true });
  await writeFile(path.join(pack, "express", "_partials", "readme-more.hbs"), `\n## Support\n\n${version.support}\n`);
  await writeFile(path.join(pack, "base", "TEAM.md"), `# Team\n\nOwner: ${version.owner}\n\nOn call: see the wiki.\n\nReleases: on Tuesdays.\n`);
}

describe("a package in a sub-folder of a git repository that is not a workspace (copier tests/test_updatediff.py::test_update_in_repo_subdirectory; cruft tests/test_api.py::test_diff_git_subdir)", () => {
  it("create keeps its render in the repository under its folder; outdated, diff and update work from it: a template change merged, the user's edits kept, conflicts UU at the repository's paths", async () => {
    const repo = path.join(work.path, "repo");
    await mkdir(path.join(repo, "services"), { recursive: true });
    await writeFile(path.join(repo, "README.md"), "# Services\n");
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "The services repository");
    const pack = path.join(work.path, "team-pack");
    await writePack(pack, { support: "Ask in #team-platform.", owner: "Ann" });

    const made = await cm(path.join(repo, "services"), "auth-mw", "--yes", "--no-install", "--template", "../../team-pack");
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /inside the git repository at .*repo, so no new repository was created/);
    const pkg = path.join(repo, "services", "auth-mw");
    // The render is on the ref, under the package's folder only.
    const tree = git(repo, "ls-tree", "-r", "--name-only", "refs/create-middleware/base").trim().split("\n");
    assert.ok(tree.includes("services/auth-mw/.create-middleware.json"), tree.join(", "));
    assert.ok(tree.includes("services/auth-mw/TEAM.md"), tree.join(", "));
    assert.deepEqual(
      tree.filter((file) => !file.startsWith("services/auth-mw/")),
      [],
    );
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "auth-mw");

    // The user's edits: a line of their own in src/index.ts, a note at the end of TEAM.md, the support line.
    const index = path.join(pkg, "src", "index.ts");
    await writeFile(index, (await readFile(index, "utf8")).replace(/^(export function )/m, `${USER_LINE}\n$1`));
    await writeFile(path.join(pkg, "TEAM.md"), `${await readFile(path.join(pkg, "TEAM.md"), "utf8")}\nOur notes: rotate keys monthly.\n`);
    const readme = path.join(pkg, "README.md");
    await writeFile(readme, (await readFile(readme, "utf8")).replace("Ask in #team-platform.", "Ask Bob directly."));
    git(repo, "commit", "-qam", "auth-mw: our edits");

    const clean = await cm(pkg, "outdated");
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    // diff lists the user's changes only, by the package's paths.
    const drift = await cm(pkg, "diff", "--stat");
    assert.equal(drift.code, 0, drift.stderr);
    assert.deepEqual(drift.stdout.trim().split("\n"), ["modified  README.md", "modified  TEAM.md", "modified  src/index.ts"]);

    // The pack changes in place: the version the package was made from exists nowhere else any more.
    await writePack(pack, { support: "Ask in #team-platform (weekdays).", owner: "Carla" });
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 1, outdated.stdout + outdated.stderr);
    assert.match(outdated.stdout, /changed\s+README\.md/);
    assert.match(outdated.stdout, /changed\s+TEAM\.md/);
    assert.doesNotMatch(outdated.stdout, /src\/index\.ts/);
    // The same user changes, whatever the templates did since.
    const stillDrift = await cm(pkg, "diff", "--stat");
    assert.deepEqual(stillDrift.stdout.trim().split("\n"), ["modified  README.md", "modified  TEAM.md", "modified  src/index.ts"]);

    // A change elsewhere in the repository is not the package's: the update runs. One inside it stops it.
    await writeFile(path.join(repo, "NOTES.md"), "elsewhere\n");
    await writeFile(path.join(pkg, "scratch.txt"), "mine\n");
    const dirty = await cm(pkg, "update");
    assert.equal(dirty.code, 1, dirty.stdout + dirty.stderr);
    assert.match(dirty.stderr, /uncommitted changes \(services\/auth-mw\/scratch\.txt\)/, "named as git status names it, and only that");
    git(repo, "add", "services/auth-mw/scratch.txt");
    git(repo, "commit", "-qm", "scratch");

    const updated = await cm(pkg, "update");
    assert.equal(updated.code, 1, updated.stdout + updated.stderr);
    assert.match(updated.stdout, /base: the pristine render [0-9a-f]{12} kept in the repository, under services\/auth-mw/);
    assert.match(updated.stdout, /merged\s+TEAM\.md/);
    assert.match(updated.stdout, /CONFLICT\s+README\.md/);
    const team = await readFile(path.join(pkg, "TEAM.md"), "utf8");
    assert.match(team, /Owner: Carla/, "the template's change merged");
    assert.match(team, /Our notes: rotate keys monthly\./, "the user's note kept");
    assert.ok((await readFile(index, "utf8")).includes(USER_LINE), "the user's line is kept");
    const merged = await readFile(readme, "utf8");
    assert.match(merged, /<<<<<<< yours\nAsk Bob directly\.\n=======\nAsk in #team-platform \(weekdays\)\.\n>>>>>>> template/);
    // git status, from the repository's top: the conflict at its path there, nothing else unmerged.
    const status = git(repo, "status", "--porcelain").split("\n").filter(Boolean);
    assert.deepEqual(
      status.filter((line) => /^(UU|AA|DU|UD) /.test(line)),
      ["UU services/auth-mw/README.md"],
    );
    assert.ok(status.includes("?? NOTES.md"), status.join("\n"));

    // Resolved and committed: current, and diff shows the user's changes against the new base only.
    await writeFile(readme, merged.replace(/<<<<<<< yours\n(.*\n)=======\n.*\n>>>>>>> template\n/, "$1"));
    git(repo, "add", "services/auth-mw");
    git(repo, "commit", "-qm", "auth-mw: templates updated");
    const current = await cm(pkg, "outdated");
    assert.equal(current.code, 0, current.stdout + current.stderr);
    const after = await cm(pkg, "diff");
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /^--- a\/README\.md$/m);
    assert.match(after.stdout, /^-Ask in #team-platform \(weekdays\)\.$/m);
    assert.match(after.stdout, /^\+Ask Bob directly\.$/m);
    assert.match(after.stdout, /^\+Our notes: rotate keys monthly\.$/m);
    assert.doesNotMatch(after.stdout, /^[-+]Owner:/m, "the template's own change is not the user's");
    const files = (JSON.parse((await cm(pkg, "diff", "--json")).stdout) as { files: { path: string }[] }).files.map((file) => file.path);
    assert.deepEqual(files, ["README.md", "TEAM.md", "src/index.ts"]);
  });

  it("made before the repository existed (no render kept), from a git pack at a tag: the base is the recorded commit's render, the conflict inline and UU under the sub-folder (copier's own setup)", async () => {
    const source = path.join(work.path, "pack-src");
    await mkdir(path.join(source, "base"), { recursive: true });
    await writeFile(path.join(source, "base", "version.txt"), "v1\n");
    git(work.path, "init", "-q", "-b", "main", source);
    git(source, "add", "-A");
    git(source, "commit", "-qm", "1");
    git(source, "tag", "v1");

    const dst = path.join(work.path, "dst");
    await mkdir(dst);
    const made = await cm(dst, "subdir", "--yes", "--no-install", "--no-git", "--template", `git+file://${source}`);
    assert.equal(made.code, 0, made.stderr);
    git(dst, "init", "-q");
    git(dst, "add", "-A");
    git(dst, "commit", "-qm", "1");
    const pkg = path.join(dst, "subdir");
    assert.equal(await readFile(path.join(pkg, "version.txt"), "utf8"), "v1\n");
    await writeFile(path.join(pkg, "version.txt"), "v1 edited\n");
    git(dst, "commit", "-qam", "1e");

    await writeFile(path.join(source, "base", "version.txt"), "v2\n");
    git(source, "commit", "-qam", "2");
    git(source, "tag", "v2");

    const updated = await cm(pkg, "update", "--json");
    assert.equal(updated.code, 1, updated.stdout + updated.stderr);
    const report = JSON.parse(updated.stdout) as { base: { kind: string }; conflicts: string[] };
    assert.equal(report.base.kind, "render");
    assert.deepEqual(report.conflicts, ["version.txt"]);
    assert.equal(await readFile(path.join(pkg, "version.txt"), "utf8"), "<<<<<<< yours\nv1 edited\n=======\nv2\n>>>>>>> template\n");
    assert.deepEqual(
      git(dst, "status", "--porcelain")
        .split("\n")
        .filter((line) => line.startsWith("UU ")),
      ["UU subdir/version.txt"],
    );
    // The update kept its render in the repository, under the sub-folder: the next base is there.
    assert.match(git(dst, "ls-tree", "-r", "--name-only", "refs/create-middleware/base"), /^subdir\/version\.txt$/m);
  });
});
