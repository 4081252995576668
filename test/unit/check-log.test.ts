/** The check's logs show what the tools said about the package, not npm's or Node's own stack frames. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstError, logTail } from "../../src/system/clean-output.js";

const NPM_CRASH = [
  "npm error code ENOSPC",
  "npm error syscall write",
  "npm error nospc ENOSPC: no space left on device, write",
  "npm error     at Arborist.reify (/usr/lib/node_modules/npm/node_modules/@npmcli/arborist/lib/arborist/reify.js:130:5)",
  "npm error     at async Install.exec (/usr/lib/node_modules/npm/lib/commands/install.js:150:5)",
  "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
  "    at async Promise.all (index 0)",
].join("\n");

describe("check logs", () => {
  it("drop npm's and Node's own stack frames, keep the message", () => {
    const tail = logTail(NPM_CRASH);
    assert.match(tail, /no space left on device/);
    assert.doesNotMatch(tail, /^\s*(npm error\s+)?at /m);
    assert.match(firstError(NPM_CRASH) ?? "", /ENOSPC/);
  });
  it("keep the frames of the package's own failing test", () => {
    const output = "not ok 1 - adds the header\n    at TestContext.<anonymous> (file:///tmp/p/test/index.test.ts:12:5)";
    assert.match(logTail(output), /index\.test\.ts:12:5/);
  });
});
