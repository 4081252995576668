/**
 * The adversarial suite, compile-cache rows: Node's compile cache (module.enableCompileCache, Node >= 22.1)
 * holds code the CLI runs, so the bin keeps it in a folder of the user's own (bin/create-middleware.cjs).
 * Another user cannot get their folder used, a corrupted cache never crashes a run, and a FIFO (or a link
 * to /dev/zero) at a cache file's place never blocks the start. Node 20 has no compile cache: there the
 * rows run on Node 24 from the registry (npm exec node@24), and are skipped when that cannot be had.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as nodeModule from "node:module";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { BIN } from "../helpers/cli.js";

/** A node binary with a compile cache: this one, or Node 24 from the registry (cached by npm). */
function nodeWithCompileCache(): string | undefined {
  if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function") return process.execPath;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["exec", "--yes", "--package", "node@24", "--", "node", "-p", "process.execPath"], {
    encoding: "utf8",
    cwd: os.tmpdir(),
    timeout: 180_000,
  });
  const execPath = result.stdout?.trim().split("\n").at(-1);
  return result.status === 0 && execPath && existsSync(execPath) ? execPath : undefined;
}

const node = process.platform === "win32" ? undefined : nodeWithCompileCache();
const skip =
  process.platform === "win32" ? "uids and FIFOs are POSIX" : node ? false : "needs Node >= 22.1 (this is Node 20 and node@24 could not be fetched)";
const uid = process.getuid?.() ?? 0;
const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-compile-cache-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh temp folder for the CLI (its TMPDIR) and a working folder. */
function sandbox(): { temp: string; work: string } {
  const root = mkdtempSync(path.join(scratch, "run-"));
  const temp = path.join(root, "tmp");
  const work = path.join(root, "work");
  mkdirSync(temp);
  // Like /tmp: everyone may write, the sticky bit keeps them from renaming what is not theirs.
  chmodSync(temp, 0o1777);
  mkdirSync(work);
  return { temp, work };
}

function run(args: string[], where: { temp: string; work: string }) {
  return spawnSync(node!, [BIN, ...args], {
    cwd: where.work,
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, TMPDIR: where.temp, NODE_DISABLE_COMPILE_CACHE: undefined, NODE_COMPILE_CACHE: undefined, NO_COLOR: "1" },
  });
}

const QUICK = ["--yes", "--no-install", "--no-git"];
let count = 0;
/** A scaffold and --version: both exit 0, in time, the package written. */
function scaffoldAndVersion(where: { temp: string; work: string }): void {
  const version = run(["--version"], where);
  assert.equal(version.error, undefined, "--version finished in time");
  assert.equal(version.status, 0, version.stderr);
  const name = `p${count++}`;
  const scaffold = run([name, ...QUICK], where);
  assert.equal(scaffold.error, undefined, "the scaffold finished in time");
  assert.equal(scaffold.status, 0, scaffold.stderr);
  assert.equal(JSON.parse(readFileSync(path.join(where.work, name, "package.json"), "utf8")).name, name);
}

/** Every file under `folder`, recursively (links and FIFOs included). */
const filesUnder = (folder: string) =>
  (readdirSync(folder, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isDirectory(): boolean }>)
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.join(entry.parentPath, entry.name));
const ourFolder = (temp: string) => path.join(temp, `create-middleware-${uid}`);
const cacheFiles = (temp: string) => filesUnder(path.join(ourFolder(temp), "compile-cache"));

describe("the compile cache", { skip }, () => {
  it("(a run fills it, in a folder of the user's own, 0700: so the rows below can fail)", () => {
    const where = sandbox();
    scaffoldAndVersion(where);
    assert.ok(cacheFiles(where.temp).length > 0, "the cache was written");
    assert.equal(lstatSync(ourFolder(where.temp)).mode & 0o777, 0o700);
    assert.equal(existsSync(path.join(where.temp, "node-compile-cache")), false, "Node's shared default folder is not used");
  });

  it("another user's folder at its place (or at Node's shared default place) is never used: nothing read from it, nothing written", {
    skip: uid !== 0 && "needs root, to plant a folder owned by another uid",
  }, () => {
    const where = sandbox();
    const planted = [ourFolder(where.temp), path.join(where.temp, "node-compile-cache")];
    for (const folder of planted) {
      mkdirSync(path.join(folder, "compile-cache"), { recursive: true });
      // Theirs, and open to everyone: the attacker would put cache files in it.
      for (const each of [folder, path.join(folder, "compile-cache")]) {
        chownSync(each, 4242, 4242);
        chmodSync(each, 0o777);
      }
    }
    scaffoldAndVersion(where);
    for (const folder of planted) assert.deepEqual(filesUnder(folder), [], `${folder} was not used`);
  });

  it("a folder of the user's own that others may write to, or a link at its place, is never used", () => {
    const open = sandbox();
    mkdirSync(ourFolder(open.temp), { mode: 0o700 });
    chmodSync(ourFolder(open.temp), 0o777);
    scaffoldAndVersion(open);
    assert.deepEqual(filesUnder(ourFolder(open.temp)), []);

    const linked = sandbox();
    const elsewhere = path.join(linked.temp, "elsewhere");
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, ourFolder(linked.temp));
    scaffoldAndVersion(linked);
    assert.deepEqual(filesUnder(elsewhere), []);
  });

  it("a corrupted cache never crashes a run: every file garbage, or every file with bytes flipped in place", () => {
    const where = sandbox();
    scaffoldAndVersion(where);
    for (const file of cacheFiles(where.temp)) writeFileSync(file, Buffer.from("garbage, not a cache ".repeat(5)));
    scaffoldAndVersion(where);
    scaffoldAndVersion(where); // rewritten by the run before: fill it again
    for (const file of cacheFiles(where.temp)) {
      const bytes = readFileSync(file);
      for (let index = 16; index < bytes.length; index += 7) bytes[index] = bytes[index]! ^ 0x5a;
      writeFileSync(file, bytes);
    }
    scaffoldAndVersion(where);
  });

  it("a FIFO, or a link to /dev/zero, at a cache file's place never blocks the start", () => {
    const where = sandbox();
    scaffoldAndVersion(where);
    const files = cacheFiles(where.temp);
    assert.ok(files.length > 0);
    for (const [index, file] of files.entries()) {
      rmSync(file);
      if (index % 2 === 0) execFileSync("mkfifo", [file]);
      else symlinkSync("/dev/zero", file);
    }
    scaffoldAndVersion(where);
    assert.ok(
      cacheFiles(where.temp).every((file) => lstatSync(file).isFile()),
      "the cache holds files again",
    );

    // A FIFO where the cache folder itself goes.
    const fifo = sandbox();
    mkdirSync(ourFolder(fifo.temp), { mode: 0o700 });
    execFileSync("mkfifo", [path.join(ourFolder(fifo.temp), "compile-cache")]);
    scaffoldAndVersion(fifo);
  });
});
