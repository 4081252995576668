import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { gitRemoteRepository, originUrlFromConfig, parseRepository, repositoryView, repositoryWebUrl } from "../../src/system/repository.js";

describe("repository URLs", () => {
  it("understands the forms people paste", () => {
    const web = "https://github.com/acme/my-logger";
    for (const form of [
      "https://github.com/acme/my-logger",
      "https://github.com/acme/my-logger.git",
      "https://github.com/acme/my-logger/",
      "git+https://github.com/acme/my-logger.git",
      "git@github.com:acme/my-logger.git",
      "ssh://git@github.com/acme/my-logger.git",
      "git://github.com/acme/my-logger.git",
      "github:acme/my-logger",
      "acme/my-logger",
      "  https://GitHub.com/acme/my-logger  ",
    ]) {
      assert.equal(repositoryWebUrl(form), web, form);
    }
    assert.equal(repositoryWebUrl("gitlab:group/sub/project"), "https://gitlab.com/group/sub/project");
    assert.equal(repositoryWebUrl("https://git.example.com:8443/team/mw.git"), "https://git.example.com/team/mw");
  });

  it("refuses what is not a repository, with a usage error that shows the forms", () => {
    for (const bad of ["", "my-logger", "https://github.com/acme", "https://github.com/acme/../x", "not a url/at all", "javascript:alert(1)"]) {
      assert.equal(repositoryWebUrl(bad), undefined, bad);
    }
    assert.throws(() => parseRepository("my-logger"), { name: "UsageError", message: /not a repository URL.*owner\/repo/ });
  });

  it("gives package.json's fields; issues and advisories only where the host has them", () => {
    assert.deepEqual(repositoryView("https://github.com/acme/x"), {
      web: "https://github.com/acme/x",
      url: "git+https://github.com/acme/x.git",
      homepage: "https://github.com/acme/x#readme",
      bugs: "https://github.com/acme/x/issues",
      advisories: "https://github.com/acme/x/security/advisories/new",
      confidentialIssue: null,
    });
    assert.equal(repositoryView("https://gitlab.com/g/x").confidentialIssue, "https://gitlab.com/g/x/-/issues/new?issue[confidential]=true");
    assert.equal(repositoryView("https://gitlab.com/g/x").advisories, null);
    assert.equal(repositoryView("https://gitlab.com/g/x").bugs, "https://gitlab.com/g/x/-/issues");
    assert.equal(repositoryView("https://git.example.com/g/x").bugs, null);
    assert.equal(repositoryView("https://git.example.com/g/x").advisories, null);
  });
});

describe("the git remote", () => {
  it("reads origin's url, not another remote's", () => {
    const config =
      '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/other/x\n[remote "origin"]\n\turl = git@github.com:acme/x.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';
    assert.equal(originUrlFromConfig(config), "git@github.com:acme/x.git");
    assert.equal(originUrlFromConfig('[remote "upstream"]\n\turl = https://github.com/other/x\n'), undefined);
  });

  it("is found from a folder inside the repository, and is absent outside one", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "repository-test-"));
    try {
      const repo = path.join(root, "repo");
      mkdirSync(path.join(repo, ".git"), { recursive: true });
      mkdirSync(path.join(repo, "packages"), { recursive: true });
      writeFileSync(path.join(repo, ".git", "config"), '[remote "origin"]\n\turl = https://github.com/acme/monorepo.git\n');
      assert.equal(gitRemoteRepository(path.join(repo, "packages")), "https://github.com/acme/monorepo");
      // A linked worktree: .git is a file pointing at the gitdir, whose commondir holds the config.
      const worktree = path.join(root, "wt");
      mkdirSync(path.join(repo, ".git", "worktrees", "wt"), { recursive: true });
      writeFileSync(path.join(repo, ".git", "worktrees", "wt", "commondir"), "../..\n");
      mkdirSync(worktree);
      writeFileSync(path.join(worktree, ".git"), `gitdir: ${path.join(repo, ".git", "worktrees", "wt")}\n`);
      assert.equal(gitRemoteRepository(worktree), "https://github.com/acme/monorepo");
      const outside = path.join(root, "plain");
      mkdirSync(outside);
      assert.equal(gitRemoteRepository(outside), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
