import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { cleanAuthorName, gitConfigFiles, gitUserName, userNameFromConfig } from "../../src/system/environment.js";

/** Values git reads in its own way: quotes, escapes, comments, continuation lines, subsections. */
const QUOTING_CASES = [
  '[user]\n\tname = "Ann # Lee"\n',
  '[user]\n\tname = "Ann ; Lee" # comment\n',
  '[user]\n\tname = Ann \\"The Hat\\" Lee\n',
  '[user]\n\tname = "Ann \\\\ Lee"\n',
  "[user]\n\tname = Ann   Lee   \n",
  '[user]\n\tname = "  Ann Lee  "\n',
  "[user]\n\tname = Ann \\\n  Lee\n",
  '[user]\n\tname = Ann"  "Lee\n',
  '[user "work"]\n\tname = Not Me\n',
  '[user]\n\tname = Me\n[user "work"]\n\tname = Not Me\n',
  "[user.work]\n\tname = Not Me\n",
  "[USER]\n\tNAME = Upper Case\n",
  "[user]\n\temail = a@b ; x\n\tname = Ann # Lee\n",
  "[core]\n\teditor = vim \\\n\tname = Trick\n[user]\n\tname = Real\n",
];

describe("git user name", () => {
  it("follows git's quoting rules: a quoted # is text, \\\" is a quote, continuation lines join", () => {
    assert.equal(userNameFromConfig('[user]\n\tname = "Ann # Lee"\n'), "Ann # Lee");
    assert.equal(userNameFromConfig('[user]\n\tname = Ann \\"The Hat\\" Lee\n'), 'Ann "The Hat" Lee');
    assert.equal(userNameFromConfig('[user]\n\tname = "Ann \\\\ Lee"\n'), "Ann \\ Lee");
    assert.equal(userNameFromConfig("[user]\n\tname = Ann \\\n  Lee\n"), "Ann   Lee");
    assert.equal(userNameFromConfig('[user "work"]\n\tname = Not Me\n'), undefined);
    assert.equal(cleanAuthorName("Ann\bLee\u0000 "), "Ann Lee");
  });

  it("reads user.name from config text, last one winning, ignoring comments and other sections", () => {
    assert.equal(userNameFromConfig("[core]\n\tname = nope\n[user]\n\tname = Ada Lovelace ; a comment\n\temail = a@b"), "Ada Lovelace");
    assert.equal(userNameFromConfig('[user]\nname = "Quoted Name"\n[user]\nname = Last'), "Last");
    assert.equal(userNameFromConfig("[User]\nName=Case"), "Case");
    assert.equal(userNameFromConfig("[alias]\nname = x"), undefined);
    assert.equal(userNameFromConfig('[includeIf "gitdir:~/work/"]\npath = work.gitconfig'), null);
  });
  it("looks where git looks: system, then XDG or GIT_CONFIG_GLOBAL", () => {
    assert.deepEqual(gitConfigFiles({ GIT_CONFIG_GLOBAL: "/g" }, "/home/u"), ["/etc/gitconfig", "/g"]);
    assert.deepEqual(gitConfigFiles({ GIT_CONFIG_NOSYSTEM: "1" }, "/home/u"), ["/home/u/.config/git/config", "/home/u/.gitconfig"]);
  });
  it("agrees with git itself", { skip: spawnSync("git", ["--version"]).status !== 0 && "git is not installed" }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cm-git-"));
    try {
      const global = path.join(dir, "gitconfig");
      const env = { ...process.env, GIT_CONFIG_GLOBAL: global, GIT_CONFIG_NOSYSTEM: "1" };
      for (const text of [
        "[user]\n\tname = Grace Hopper\n",
        "[core]\n\tbare = false\n",
        '[include]\n\tpath = other\n[user]\n\tname = "Included"\n',
        ...QUOTING_CASES,
      ]) {
        await writeFile(global, text);
        const git = spawnSync("git", ["config", "user.name"], { cwd: dir, env, encoding: "utf8" }).stdout.trim();
        assert.equal(await gitUserName(dir, env), git, text);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
