/**
 * The code cache the bin loads the CLI with (src/launch/code-cache.ts): used from the second run on,
 * refused when it is not ours to trust, never in the way of a run.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const loader = fileURLToPath(new URL("../fixtures/code-cache/load.ts", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-code-cache-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let work: string;
let folder: string;
let moduleFile: string;
beforeEach(() => {
  work = mkdtempSync(path.join(scratch, "case-"));
  folder = path.join(work, "cache", "code-cache");
  moduleFile = path.join(work, "module.cjs");
  writeModule(42);
});

function writeModule(value: number): void {
  // Enough functions run on load that the cache has compiled code to keep.
  const body = Array.from({ length: 50 }, (_, index) => `function f${index}(x) { return x + ${index}; }`).join("\n");
  writeFileSync(moduleFile, `${body}\nglobalThis.loads = (globalThis.loads ?? 0) + 1;\nexports.value = f0(${value});\n`);
}

interface Run {
  state: string;
  value: number;
  loads: number;
}

function load(options: { buildId?: string; exitCode?: number; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(process.execPath, ["--import", "tsx", loader, moduleFile, folder, options.buildId ?? "build-1", String(options.exitCode ?? 0)], {
    encoding: "utf8",
    env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", CREATE_MIDDLEWARE_NO_CODE_CACHE: "", ...options.env },
  });
  assert.equal(result.status, options.exitCode ?? 0, result.stderr);
  return JSON.parse(result.stdout) as Run;
}

const caches = () => (existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith(".v8")) : []);

describe("code cache", () => {
  it("is written by the first run and used by the next, which runs the module once, as require() sees it", () => {
    assert.deepEqual(load(), { state: "missing", value: 42, loads: 1 });
    assert.equal(caches().length, 1);
    assert.deepEqual(load(), { state: "used", value: 42, loads: 1 });
  });

  it("is not written by a run that fails", () => {
    assert.equal(load({ exitCode: 2 }).state, "missing");
    assert.deepEqual(caches(), []);
  });

  it("belongs to one build: another build id or a changed file gets a cache of its own, replacing the old one", () => {
    load();
    const [first] = caches();
    assert.equal(load({ buildId: "build-2" }).state, "missing");
    assert.equal(load({ buildId: "build-2" }).state, "used");
    writeModule(43);
    assert.deepEqual(load({ buildId: "build-2" }), { state: "missing", value: 43, loads: 1 });
    assert.equal(caches().length, 1);
    assert.notEqual(caches()[0], first);
  });

  it("is kept per installed copy: two copies of the same build in different places do not replace each other's cache", () => {
    load();
    const copy = path.join(work, "copy", "module.cjs");
    mkdirSync(path.dirname(copy));
    writeFileSync(copy, readFileSync(moduleFile));
    const other = moduleFile;
    moduleFile = copy;
    assert.equal(load().state, "missing");
    moduleFile = other;
    assert.equal(load().state, "used");
    assert.equal(caches().length, 2);
  });

  it("is rejected when damaged, the run goes on, and a good one replaces it", () => {
    load();
    const [name] = caches();
    writeFileSync(path.join(folder, name!), Buffer.alloc(4096, 7));
    assert.deepEqual(load(), { state: "rejected", value: 42, loads: 1 });
    assert.equal(load().state, "used");
  });

  it("is off with NODE_DISABLE_COMPILE_CACHE or CREATE_MIDDLEWARE_NO_CODE_CACHE, and writes nothing", () => {
    assert.equal(load({ env: { NODE_DISABLE_COMPILE_CACHE: "1" } }).state, "off");
    assert.equal(load({ env: { CREATE_MIDDLEWARE_NO_CODE_CACHE: "1" } }).state, "off");
    assert.deepEqual(caches(), []);
  });

  it("is not read from or written to a folder others can write to", () => {
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o777);
    assert.equal(load().state, "off");
    assert.equal(load().state, "off");
    assert.deepEqual(caches(), []);
    chmodSync(folder, 0o700);
    chmodSync(path.dirname(folder), 0o777);
    assert.equal(load().state, "off");
  });

  it("is not read through a symbolic link", () => {
    const elsewhere = path.join(work, "elsewhere");
    mkdirSync(elsewhere, { mode: 0o700 });
    mkdirSync(path.dirname(folder), { mode: 0o700 });
    symlinkSync(elsewhere, folder);
    assert.equal(load().state, "off");
    assert.deepEqual(readdirSync(elsewhere), []);
  });

  it("is not read from a folder of another user", { skip: process.getuid?.() !== 0 && "needs root to give a folder away" }, () => {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chownSync(folder, 65534, 65534);
    assert.equal(load().state, "off");
  });

  it("is off when the temp folder cannot be written, and the run goes on", () => {
    mkdirSync(path.dirname(folder), { recursive: true });
    writeFileSync(folder, "a file where the folder would be");
    assert.deepEqual(load(), { state: "off", value: 42, loads: 1 });
  });
});
