/**
 * src/system/read-user-file.ts: the one rule for files read from a user's or a pack's tree. Each refusal is a
 * UsageError (exit 2) naming the file; nothing here may block (a FIFO without a writer would).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { readUserFile, UserFileError } from "../../src/system/read-user-file.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "cm-read-user-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);

function refusal(file: string, reason: UserFileError["reason"], message: RegExp, options: { limit?: number; noLinks?: boolean } = {}) {
  assert.throws(
    () => readUserFile(file, { what: "The test file", ...options }),
    (error: Error) =>
      error instanceof UserFileError &&
      error instanceof UsageError &&
      error.reason === reason &&
      error.message.includes(file) &&
      message.test(error.message),
  );
}

describe("readUserFile", () => {
  it("reads a regular file whole, and a missing one (or one below a file) is undefined", () => {
    writeFileSync(at("a.json"), "{}\n");
    assert.equal(readUserFile(at("a.json"), { what: "x" })?.toString(), "{}\n");
    assert.equal(readUserFile(at("missing.json"), { what: "x" }), undefined);
    assert.equal(readUserFile(path.join(at("a.json"), "below"), { what: "x" }), undefined);
  });

  it("refuses a FIFO without blocking, a device and a folder", { skip: process.platform === "win32" && "no FIFOs" }, () => {
    spawnSync("mkfifo", [at("pipe")]);
    refusal(at("pipe"), "not-regular", /not a regular file/);
    refusal("/dev/zero", "not-regular", /not a regular file/);
    mkdirSync(at("folder"));
    refusal(at("folder"), "not-regular", /is a folder, not a file/);
  });

  it("refuses a file over the cap before reading it (a sparse 3 GB file), and honours a smaller cap", () => {
    writeFileSync(at("big"), "");
    truncateSync(at("big"), 3 * 1024 ** 3);
    refusal(at("big"), "too-large", /larger than 16 MB/);
    writeFileSync(at("eleven"), "x".repeat(11));
    refusal(at("eleven"), "too-large", /larger than 10 bytes \(11 bytes\)/, { limit: 10 });
    assert.equal(readUserFile(at("eleven"), { what: "x", limit: 11 })?.length, 11);
  });

  it("follows a link only when allowed", { skip: process.platform === "win32" && "links need privileges" }, () => {
    writeFileSync(at("target"), "t");
    symlinkSync(at("target"), at("link"));
    assert.equal(readUserFile(at("link"), { what: "x" })?.toString(), "t");
    refusal(at("link"), "link", /symbolic link/, { noLinks: true });
  });
});
