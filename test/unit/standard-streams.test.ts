/**
 * The standard streams (src/system/standard-streams.ts): a reader that goes away ends the output quietly, whoever
 * writes, including console and libraries that reach process.stderr themselves.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../fixtures/standard-streams/console-after-close.ts", import.meta.url));

async function runWithClosedOutput(mode: "guard" | "plain"): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, mode], { stdio: ["ignore", "pipe", "pipe"] });
  // Read nothing and close both pipes: every write after this meets EPIPE.
  child.stdout.destroy();
  child.stderr.destroy();
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

describe("standard streams", () => {
  it("console and process.stderr writing into a closed pipe end quietly once guarded: the run keeps its exit code", async () => {
    assert.deepEqual(await runWithClosedOutput("guard"), { code: 7, signal: null });
  });

  it("(the same run unguarded crashes, so the test above can fail)", async () => {
    const { code } = await runWithClosedOutput("plain");
    assert.notEqual(code, 7);
  });
});
