/**
 * scripts/children.mjs, how scripts/mutation.mjs runs StrykerJS: a SIGINT or SIGTERM sent to the script reaches
 * the running child, the script waits for the child to end, kills what the child left in its process group
 * and exits 128 + the signal's number.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";

const helper = pathToFileURL(new URL("../../scripts/children.mjs", import.meta.url).pathname).href;

// The child, like StrykerJS: starts a worker that runs until killed, says it is ready, then waits forever; a
// signal it gets is printed, then it exits, leaving the worker behind.
const CHILD = `const worker = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => { console.log("child got " + s); process.exit(0); });
console.log("ready " + process.pid + " " + worker.pid); setInterval(() => {}, 1000);`;

// The script: runs the child (its stdout to our stderr), then one more command that must not start.
const SCRIPT = `import { passSignalsOn, runChild, Stopped } from ${JSON.stringify(helper)};
passSignalsOn((message) => process.stderr.write("script: " + message + "\\n"));
try {
  await runChild(process.execPath, ["-e", ${JSON.stringify(CHILD)}], { cwd: process.cwd(), stdout: "stderr" });
  process.stderr.write("script: first command returned\\n");
  await runChild(process.execPath, ["-e", "console.log('second command ran')"], { cwd: process.cwd(), stdout: "stderr" });
  process.exit(0);
} catch (error) {
  if (!(error instanceof Stopped)) throw error;
  process.stderr.write("script: " + error.message + "\\n");
  process.exit(error.exitCode);
}`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, "ESRCH");
    return false;
  }
  // A zombie (killed, not yet reaped by whoever adopted it) has ended too.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return process.platform !== "linux";
  }
};

describe("scripts/children.mjs", { skip: process.platform === "win32" ? "POSIX signals" : false }, () => {
  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    // The timeout only ends a hang (a signal not passed on leaves the script waiting for its child forever).
    it(`passes ${signal} on to the running child, waits for it, kills what it left, runs nothing more and exits ${code}`, {
      timeout: 60_000,
    }, async (t) => {
      const script = spawn(process.execPath, ["--input-type=module", "-e", SCRIPT], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      let childPid: number | undefined;
      let workerPid: number | undefined;
      script.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        const ready = /ready (\d+) (\d+)/.exec(stderr);
        if (ready && childPid === undefined) {
          childPid = Number(ready[1]);
          workerPid = Number(ready[2]);
          script.kill(signal);
        }
      });
      t.after(() => {
        for (const pid of [childPid, workerPid]) if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
        if (script.exitCode === null && script.signalCode === null) script.kill("SIGKILL");
      });
      const [exitCode] = await once(script, "exit");
      assert.ok(childPid !== undefined && workerPid !== undefined, `the child never started:\n${stderr}`);
      assert.equal(exitCode, code, stderr);
      assert.match(stderr, new RegExp(`child got ${signal}`));
      assert.match(stderr, new RegExp(`script: stopped by ${signal}`));
      assert.doesNotMatch(stderr, /first command returned|second command ran/);
      // The script exits only after the child has ended (and been reaped).
      assert.equal(alive(childPid), false);
      // The worker the child left is killed (SIGKILL to the child's group) before the script exits; its end is
      // asynchronous, so wait for it (a worker left running makes this loop, and so the test, time out).
      while (alive(workerPid)) await new Promise((resolve) => setTimeout(resolve, 10));
    });
  }
});
