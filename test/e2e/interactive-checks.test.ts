/**
 * Each answer is checked at its own prompt, through a real pseudo-terminal (tmux): a Ctrl-U typed at the
 * directory prompt, a non-empty folder and an over-long description are refused there, before any
 * further question, and nothing is written.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { BIN, tempDir } from "../helpers/cli.js";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-tty-checks-");
  await mkdir(path.join(work.path, "busy"));
  await writeFile(path.join(work.path, "busy", "notes.txt"), "mine");
});
after(() => work.remove());

function start(session: string, args: string[]): string {
  const exitFile = path.join(work.path, `${session}.exit`);
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(" ");
  execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "200", "-y", "40", "-c", work.path, `${quoted}; echo $? > ${exitFile}`], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  return exitFile;
}
const screen = (session: string) => execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" });
const keys = (session: string, ...sequence: string[]) => execFileSync("tmux", ["send-keys", "-t", session, ...sequence]);
const text = (session: string, value: string) => execFileSync("tmux", ["send-keys", "-t", session, "-l", value]);

async function waitFor(session: string, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(screen(session))) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${pattern}; screen:\n${screen(session)}`);
}

async function exitCode(exitFile: string, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(exitFile)) {
      const value = (await readFile(exitFile, "utf8")).trim();
      if (value !== "") return Number(value);
    }
    await sleep(100);
  }
  throw new Error("the CLI did not exit");
}

const entries = () => readdirSync(work.path).filter((entry) => !entry.endsWith(".exit")).sort();

describe("answers checked at their prompt", { skip: hasTmux ? false : "tmux is not installed" }, () => {
  it("a Ctrl-U typed into the directory is refused there, naming the character", async () => {
    const session = `cm-ctrl-u-${process.pid}`;
    const exitFile = start(session, ["--no-install", "--no-git"]);
    try {
      await waitFor(session, /Where should the package go\?/);
      keys(session, "C-u");
      text(session, "rate-guard");
      keys(session, "Enter");
      await waitFor(session, /control character U\+0015 \(Ctrl-U\)/);
      assert.doesNotMatch(screen(session), /Which framework/, "no further question was asked");
      keys(session, "C-c");
      assert.equal(await exitCode(exitFile), 130);
    } finally {
      spawnSync("tmux", ["kill-session", "-t", session]);
    }
    assert.deepEqual(entries(), ["busy"]);
  });

  it("a non-empty folder is refused at the directory prompt; another answer goes on", async () => {
    const session = `cm-busy-${process.pid}`;
    const exitFile = start(session, ["--no-install", "--no-git"]);
    try {
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
      assert.equal(await exitCode(exitFile), 130);
    } finally {
      spawnSync("tmux", ["kill-session", "-t", session]);
    }
    assert.deepEqual(entries(), ["busy"]);
  });
});
