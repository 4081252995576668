// The example app (`npm run example`) starts, answers, and logs the request on its stdout.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * Starts `npm run example`'s server on a free port and resolves with its URL once it says it is listening.
 * Every line it prints lands in `lines`; it is stopped when the test ends.
 */
function startExample(t: TestContext, lines: string[]): Promise<string> {
  const script = fileURLToPath(new URL("../example/server.ts", import.meta.url));
  const server = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => {
    server.kill();
  });
  return new Promise((resolve, reject) => {
    let output = "";
    server.stdout.setEncoding("utf8");
    server.stdout.on("data", (chunk: string) => {
      output += chunk;
      lines.splice(0, lines.length, ...output.split("\n"));
      const url = /http:\/\/localhost:\d+/.exec(output)?.[0];
      if (url) resolve(url);
    });
    server.on("exit", (code) => {
      reject(new Error(`the example server exited (${code}) without printing its URL:\n${output}`));
    });
  });
}

test("the example server answers and logs the request", async (t) => {
  const lines: string[] = [];
  const url = await startExample(t, lines);
  const response = await fetch(`${url}/?from=test`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { hello: "world" });
  const logged = () => lines.some((line) => line.includes("GET /?from=test 200"));
  for (let tries = 0; !logged() && tries < 200; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(logged(), `the example logged:\n${lines.join("\n")}`);
});
