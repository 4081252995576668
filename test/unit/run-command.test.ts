/** runCommand, the one place that spawns: output captured, stdin closed, failures reported, never thrown. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { CommandLine } from "../../src/system/package-manager.js";
import { runCommand } from "../../src/system/run-command.js";

const node = (script: string): CommandLine => ({ command: process.execPath, args: ["-e", script] });

let root: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "cm-run-"));
});
after(() => rm(root, { recursive: true, force: true }));

describe("runCommand", () => {
  it("captures stdout and the interleaved output, with stdin closed", async () => {
    const result = await runCommand(
      node(
        "process.stdout.write('out\\n'); process.stderr.write('err\\n'); process.stdin.on('data', () => {}).on('end', () => console.log('stdin closed'))",
      ),
      {
        cwd: root,
      },
    );
    assert.equal(result.ok, true);
    assert.equal(result.exitCode, 0);
    assert.equal(result.failure, undefined);
    assert.match(result.stdout, /^out\nstdin closed$/);
    assert.match(result.output, /out\n(err\n)?.*/s);
    assert.ok(result.output.includes("err"));
    assert.ok(result.durationMs >= 0);
  });

  it("reports a failing command without throwing", async () => {
    const result = await runCommand(node("console.error('boom'); process.exit(3)"), { cwd: root });
    assert.equal(result.ok, false);
    assert.equal(result.exitCode, 3);
    assert.equal(result.failure, "failed");
    assert.match(result.output, /boom/);
  });

  it("says when the program is not on PATH", async () => {
    const result = await runCommand({ command: "create-middleware-no-such-program", args: ["install"] }, { cwd: root });
    assert.equal(result.ok, false);
    assert.equal(result.failure, "not-found");
    assert.equal(result.command, "create-middleware-no-such-program install");
  });

  it("stops the child when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const result = await runCommand(node("setTimeout(() => {}, 60_000)"), { cwd: root, signal: controller.signal });
    assert.equal(result.ok, false);
    assert.equal(result.failure, "stopped");
    assert.ok(Date.now() - started < 10_000);
  });

  it("uses exactly the environment given, when one is given", async () => {
    const result = await runCommand(node("console.log(JSON.stringify([process.env.ONLY_THIS, process.env.HOME ?? null]))"), {
      cwd: root,
      env: { ONLY_THIS: "yes", PATH: process.env.PATH },
    });
    assert.deepEqual(JSON.parse(result.stdout), ["yes", null]);
  });
});
