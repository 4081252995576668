/**
 * Line editing in the text prompts, and the options prompt keeping the starter's own fields, through a
 * real pseudo-terminal (tmux): what a shell user types must do what a shell does.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { killWordBefore } from "../../src/answers/line-editing.js";
import { BIN, tempDir } from "../helpers/cli.js";
import { driveInTmux, exitCode, hasTmux, keys, text, waitFor, TMUX } from "../helpers/tmux.js";

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-tty-edit-");
});
after(() => work.remove());

describe("Ctrl-W", () => {
  it("kills the word behind the cursor, blanks after it included, as a shell does", () => {
    assert.equal(killWordBefore("Logs requests fast"), "Logs requests ");
    assert.equal(killWordBefore("Logs requests  "), "Logs ");
    assert.equal(killWordBefore("one"), "");
    assert.equal(killWordBefore(""), "");
  });
});

describe("text prompts edit like a shell line", { skip: hasTmux ? false : "tmux is not installed" }, () => {
  it("Esc clears the line, Ctrl-U and Ctrl-W kill, Home/Ctrl-A and End/Ctrl-E move; the starter's options are kept and added to", async () => {
    const session = `cm-edit-${process.pid}`;
    const flags = ["-t", "express", "--starter", "rate-limit", "-s", "none", "--repo", "https://github.com/acme/edited", "--no-install", "--no-git"];
    const code = await driveInTmux(session, ["edited", ...flags], { cwd: work.path }, async () => {
      await waitFor(session, /Description \(optional\)/);
      text(session, "garbage");
      keys(session, "Escape"); // clears the line; the run goes on
      text(session, "wrong words");
      keys(session, "C-u"); // kills to the start
      text(session, "Logs requests fast");
      keys(session, "C-w"); // kills "fast"
      text(session, "quickly");
      keys(session, "Home");
      text(session, "It ");
      keys(session, "End");
      text(session, "!");
      keys(session, "C-a", "Right", "Right");
      keys(session, "C-k"); // kills to the end: "It"
      text(session, " logs requests");
      keys(session, "C-e");
      text(session, ".");
      await waitFor(session, /Description \(optional\): › It logs requests\.$/m);
      keys(session, "Enter");

      await waitFor(
        session,
        /The starter's options: limit:number=60, windowMs:number=60000, headers:boolean=true,[\s\S]*ipv6Subnet:number=56\. Keep them/,
      );
      keys(session, "Enter"); // yes
      await waitFor(session, /Add an option of your own/);
      text(session, "limit:number=3");
      keys(session, "Enter");
      await waitFor(session, /"limit" is/); // already one of the kept fields
      keys(session, "C-u");
      text(session, "burst:number=5");
      keys(session, "Enter");
      await waitFor(session, /Add another option/);
      keys(session, "Enter");
    });
    assert.equal(code, 0);
    const pkg = path.join(work.path, "edited");
    assert.equal((JSON.parse(await readFile(path.join(pkg, "package.json"), "utf8")) as { description: string }).description, "It logs requests.");
    const record = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as { answers: { options: string[] } };
    assert.deepEqual(record.answers.options, [
      "limit:number=60",
      "windowMs:number=60000",
      "headers:boolean=true",
      "standardHeaders:draft-6|draft-7|draft-8=draft-6",
      "ipv6Subnet:number=56",
      "burst:number=5",
    ]);
    // The starter's code reads the kept fields from the options instead of hard-coding them.
    const index = await readFile(path.join(pkg, "src", "index.ts"), "utf8");
    assert.match(index, /const limit = settings\.limit;/);
  });
});

describe("an unanswered pack question on a terminal", { skip: hasTmux ? false : "tmux is not installed" }, () => {
  it("with --yes says --yes asked nothing, not that there is no terminal", async () => {
    const pack = path.join(work.path, "asking-pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "pack.json"), JSON.stringify({ questions: [{ key: "team", type: "text", message: "Owning team?" }] }));
    await writeFile(path.join(pack, "base", "TEAM.md.hbs"), "{{vars.team}}\n");
    const session = `cm-yes-${process.pid}`;
    // stdin and stdout are the terminal; stderr goes to a file, which outlives the session.
    const errFile = path.join(work.path, "asked.stderr");
    const exitFile = path.join(work.path, "asked.exit");
    const command = [process.execPath, BIN, "asked", "--yes", "--no-install", "--no-git", "--template", "./asking-pack"]
      .map((arg) => `'${arg}'`)
      .join(" ");
    execFileSync("tmux", [
      ...TMUX,
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "120",
      "-y",
      "40",
      "-c",
      work.path,
      `${command} 2> ${errFile}; echo $? > ${exitFile}`,
    ]);
    try {
      assert.equal(await exitCode(exitFile), 2);
      const stderr = await readFile(errFile, "utf8");
      assert.match(stderr, /Pack question "team" \(Owning team\?\) has no answer: .* and --yes asks no questions\. Pass --var team=<value>\./);
      assert.doesNotMatch(stderr, /no terminal/);
    } finally {
      spawnSync("tmux", [...TMUX, "kill-session", "-t", session]);
    }
  });
});
