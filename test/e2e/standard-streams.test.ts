/**
 * Output to a file or a pipe (src/system/standard-streams.ts): the same lines, in order; FORCE_COLOR still gets
 * colours, and a reader that goes away costs nothing (the adversarial suite has more).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, tempDir } from "../helpers/cli.js";

const QUICK = ["--yes", "--no-install", "--no-git"];
let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-streams-");
});
after(() => work.remove());

/** Runs the CLI with stdout to `stdout` ("pipe" or a file's descriptor). */
function runTo(stdout: "pipe" | number, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: work.path,
    encoding: "utf8",
    stdio: ["ignore", stdout, "pipe"],
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
  });
}

describe("standard output to a file or a pipe", () => {
  it("a scaffold printing into a pipe: every line, in order", async () => {
    const result = runTo("pipe", ["to-pipe", ...QUICK]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /^Created to-pipe \(Express middleware.*\n\nNext steps:\n {2}cd \.\/to-pipe\n {2}npm install\n {2}npm test\n {2}npm run example\nCommit package-lock\.json once the install has written it: CI runs npm ci, which needs it\.\n$/,
    );
  });

  it("a scaffold printing into a file, and --help: the same text as before", async () => {
    const file = path.join(work.path, "out.txt");
    const fd = openSync(file, "w");
    const result = runTo(fd, ["to-file", "--json", ...QUICK]);
    closeSync(fd);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(await readFile(file, "utf8")) as { directory: string }).directory, path.join(work.path, "to-file"));

    const help = runTo("pipe", ["--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: create-middleware \[options\] \[command\] \[directory\]/);
  });

  it("FORCE_COLOR still colours output into a pipe (Node's stream decides)", async () => {
    const result = runTo("pipe", ["coloured", ...QUICK], { FORCE_COLOR: "1" });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\u001b\[32mCreated/);
  });
});
