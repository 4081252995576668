/**
 * Output to a file or a pipe is written straight to the descriptor (src/standard-streams.ts): the same
 * lines, in order, without loading Node's stream stack; on the other side, FORCE_COLOR still gets colours
 * through Node's stream, and a reader that goes away still costs nothing (the adversarial suite has more).
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { closeSync, constants, openSync, writeSync } from "node:fs";
import { Socket } from "node:net";
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

  // Node makes a child's standard descriptors blocking when it spawns it; python3 sets stdout non-blocking
  // again just before it becomes the CLI (exec), as another program sharing the pipe could.
  const python = spawnSync("python3", ["--version"]).status === 0;
  it("a full non-blocking pipe (EAGAIN) hands over to Node's stream: nothing lost, nothing out of order", { skip: (process.platform === "win32" || !python) && "needs mkfifo and python3" }, async () => {
    const fifo = path.join(work.path, "fifo");
    execFileSync("mkfifo", [fifo]);
    // The reader's end first (so opening the writer's end does not wait), both non-blocking.
    const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    // Fill the pipe: the CLI's first write finds it full.
    const filler = Buffer.alloc(4096, "#");
    let filled = 0;
    for (;;) {
      try {
        filled += writeSync(writeFd, filler);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EAGAIN") break;
        throw error;
      }
    }
    const nonBlockingExec = "import fcntl, os, sys; fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK); os.execv(sys.argv[1], sys.argv[1:])";
    const child = spawn("python3", ["-c", nonBlockingExec, process.execPath, BIN, "through-fifo", ...QUICK], { cwd: work.path, stdio: ["ignore", writeFd, "pipe"] });
    closeSync(writeFd);
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
    const exited = once(child, "exit") as Promise<[number | null]>;
    // Drain only after the CLI has met the full pipe.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reader = new Socket({ fd: readFd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    reader.on("data", (chunk: Buffer) => chunks.push(chunk));
    const ended = once(reader, "end");
    const [code] = await exited;
    await ended;
    assert.equal(code, 0, stderr);
    const text = Buffer.concat(chunks).toString("utf8");
    assert.equal(text.slice(0, filled), "#".repeat(filled));
    assert.match(text.slice(filled), /^Created through-fifo \(Express middleware.*\n\nNext steps:\n {2}cd \.\/through-fifo\n {2}npm install\n {2}npm test\n {2}npm run example\n$/);
  });

  it("FORCE_COLOR still colours output into a pipe (through Node's stream, which decides)", async () => {
    const result = await runTo("pipe", ["coloured", ...QUICK], { FORCE_COLOR: "1" });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\u001b\[32mCreated/);
    assert.notDeepEqual(streamStack(result.builtins), []);
  });
});
