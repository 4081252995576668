/**
 * Each answer is checked at its own prompt, through a real pseudo-terminal (tmux): a Ctrl-U typed at the
 * directory prompt, a non-empty folder and an over-long description are refused there, before any
 * further question, and nothing is written.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { tempDir } from "../helpers/cli.js";
import { driveInTmux, hasTmux, keys, screen, text, waitFor } from "../helpers/tmux.js";

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-tty-checks-");
  await mkdir(path.join(work.path, "busy"));
  await writeFile(path.join(work.path, "busy", "notes.txt"), "mine");
});
after(() => work.remove());

const entries = () =>
  readdirSync(work.path)
    .filter((entry) => !entry.endsWith(".exit"))
    .sort();

describe("answers checked at their prompt", { skip: hasTmux ? false : "tmux is not installed" }, () => {
  it("Ctrl-U at the directory prompt kills what was typed, as in a shell: no control character is left to refuse", async () => {
    const session = `cm-ctrl-u-${process.pid}`;
    const code = await driveInTmux(session, ["--no-install", "--no-git"], { cwd: work.path, width: 200 }, async () => {
      await waitFor(session, /Where should the package go\?/);
      keys(session, "C-u"); // on the greyed default: nothing to kill, nothing inserted
      text(session, "junk");
      keys(session, "C-u");
      text(session, "rate-guard");
      keys(session, "Enter");
      await waitFor(session, /Which framework/);
      assert.match(screen(session), /Where should the package go\? … rate-guard$/m);
      assert.doesNotMatch(screen(session), /control character/);
      keys(session, "C-c");
    });
    assert.equal(code, 130);
    assert.deepEqual(entries(), ["busy"]);
  });

  it("a non-empty folder is refused at the directory prompt; another answer goes on", async () => {
    const session = `cm-busy-${process.pid}`;
    const code = await driveInTmux(session, ["--no-install", "--no-git"], { cwd: work.path, width: 200 }, async () => {
      await waitFor(session, /Where should the package go\?/);
      for (let i = 0; i < 20; i += 1) keys(session, "BSpace");
      text(session, "busy");
      keys(session, "Enter");
      await waitFor(session, /busy is not empty \(contains: notes\.txt\)/);
      assert.doesNotMatch(screen(session), /Which framework/);
      for (let i = 0; i < 4; i += 1) keys(session, "BSpace");
      text(session, "fresh");
      keys(session, "Enter");
      await waitFor(session, /Which framework/);
      keys(session, "Enter");
      await waitFor(session, /What does the middleware do\?/);
      keys(session, "Enter");
      await waitFor(session, /Validate the middleware's options/);
      keys(session, "Enter");
      await waitFor(session, /Description/);
      text(session, "x".repeat(600));
      keys(session, "Enter");
      await waitFor(session, /longer than 500 characters/);
      assert.doesNotMatch(screen(session), /Add an option/, "refused at the description prompt, not after every question");
      keys(session, "C-c");
    });
    assert.equal(code, 130);
    assert.deepEqual(entries(), ["busy"]);
  });
});
