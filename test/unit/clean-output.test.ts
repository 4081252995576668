/** Cleaning what child programs print: the install's and git's last lines, the check's log tail and first error. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstError, lastLines, logLines, logTail, plainLines } from "../../src/system/clean-output.js";

describe("plainLines", () => {
  it("strips colour and cursor codes (including OSC links) and accepts any line ending", () => {
    const output = "\u001b[1mbold\u001b[22m\r\n\u001b]8;;https://x.test\u0007link\u001b]8;;\u0007  \rnext\nlast";
    assert.deepEqual(plainLines(output), ["bold", "link", "next", "last"]);
  });
});

describe("lastLines", () => {
  it("keeps the last non-blank lines without colour codes", () => {
    const output = ["one", "", "two", "\u001b[31mnpm error\u001b[39m code E404", "   ", "last"].join("\n");
    assert.deepEqual(lastLines(output, 3), ["two", "npm error code E404", "last"]);
    assert.deepEqual(lastLines("", 3), []);
  });
  it("drops stack frames and empty log-prefixed lines, which crowd out the message", () => {
    const output = [
      "npm error code ECONNREFUSED",
      "npm error FetchError: request to http://127.0.0.1:9/x failed",
      "npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/lib/index.js:130:14)",
      "npm error     at process.processTicksAndRejections (node:internal/process/task_queues:83:21) {",
      "    at emitErrorEvent (node:_http_client:101:11)",
      "npm error",
      "npm error A complete log of this run can be found in: /tmp/log",
    ].join("\n");
    assert.deepEqual(lastLines(output), [
      "npm error code ECONNREFUSED",
      "npm error FetchError: request to http://127.0.0.1:9/x failed",
      "npm error A complete log of this run can be found in: /tmp/log",
    ]);
  });
});

describe("logLines, logTail, firstError", () => {
  const log = [
    "> check-express-zod@0.1.0 test",
    "> node --import tsx --test test/*.test.ts",
    "",
    "\u001b[32mok 1 - parses\u001b[39m",
    "not ok 2 - refuses bad options",
    "  Error: expected a TypeError",
    "npm error Lifecycle script `test` failed with error:",
    "npm error code 1",
    "",
  ].join("\n");

  it("drop npm's chatter and colour codes, keeping what the tool printed", () => {
    assert.deepEqual(logLines(log), ["ok 1 - parses", "not ok 2 - refuses bad options", "  Error: expected a TypeError"]);
  });

  it("keep the tail, saying how much came before", () => {
    assert.equal(logTail(log, 2), "… (1 earlier lines)\nnot ok 2 - refuses bad options\n  Error: expected a TypeError");
    assert.equal(logTail(log), logLines(log).join("\n"));
  });

  it("pick the most telling error line: a type error first, then a failed test, then any error", () => {
    assert.equal(firstError(log), "not ok 2 - refuses bad options");
    assert.equal(firstError(`x\nsrc/index.ts(3,1): error TS2322: nope\n${log}`), "src/index.ts(3,1): error TS2322: nope");
    assert.equal(firstError("all good\n"), undefined);
  });
});
