/**
 * Output to a file or a pipe is written straight to the descriptor (src/standard-streams.ts): the same
 * lines, in order, without loading Node's stream stack; on the other side, FORCE_COLOR still gets colours
 * through Node's stream, and a reader that goes away still costs nothing (the adversarial suite has more).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { BIN, tempDir } from "../helpers/cli.js";

const RECORDER = fileURLToPath(new URL("../fixtures/loaded-modules/record.cjs", import.meta.url));
const QUICK = ["--yes", "--no-install", "--no-git"];
let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-streams-");
});
after(() => work.remove());

/** Runs the CLI with stdout to `stdout` ("pipe" or a file's descriptor); returns its stdout and what it loaded. */
async function runTo(stdout: "pipe" | number, args: string[], env: NodeJS.ProcessEnv = {}) {
  const loaded = path.join(work.path, `loaded-${Math.random().toString(36).slice(2)}.json`);
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: work.path,
    encoding: "utf8",
    stdio: ["ignore", stdout, "pipe"],
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_OPTIONS: `--require ${RECORDER}`, RECORD_LOADED_MODULES: loaded, ...env },
  });
  const { builtins } = JSON.parse(await readFile(loaded, "utf8")) as { builtins: string[] };
  return { ...result, builtins };
}

const streamStack = (builtins: string[]) => builtins.filter((name) => /^NativeModule (stream|internal\/fs\/sync_write_stream|tty|net)$/.test(name));

describe("standard output to a file or a pipe", () => {
  it("a scaffold printing into a pipe: every line, in order, and no stream module loaded", async () => {
    const result = await runTo("pipe", ["to-pipe", ...QUICK]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Created to-pipe \(Express middleware.*\n\nNext steps:\n {2}cd \.\/to-pipe\n {2}npm install\n {2}npm test\n {2}npm run example\n$/);
    assert.deepEqual(streamStack(result.builtins), []);
  });

  it("a scaffold printing into a file, and --help: the same text as before, no stream module loaded", async () => {
    const file = path.join(work.path, "out.txt");
    const fd = openSync(file, "w");
    const result = await runTo(fd, ["to-file", "--json", ...QUICK]);
    closeSync(fd);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(await readFile(file, "utf8")) as { directory: string }).directory, path.join(work.path, "to-file"));
    assert.deepEqual(streamStack(result.builtins), []);

    const help = await runTo("pipe", ["--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: create-middleware \[options\] \[command\] \[directory\]/);
    assert.deepEqual(streamStack(help.builtins), []);
  });

  it("FORCE_COLOR still colours output into a pipe (through Node's stream, which decides)", async () => {
    const result = await runTo("pipe", ["coloured", ...QUICK], { FORCE_COLOR: "1" });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\u001b\[32mCreated/);
    assert.notDeepEqual(streamStack(result.builtins), []);
  });
});
