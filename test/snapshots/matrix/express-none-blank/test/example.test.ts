// The example app (`npm run example`) starts and answers through the middleware.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * Starts `npm run example`'s server on a free port and resolves with its URL once it says it is listening.
 * Its output keeps being read (a closed pipe would crash it); it is stopped when the test ends.
 */
function startExample(t: TestContext): Promise<string> {
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
      const url = /http:\/\/localhost:\d+/.exec(output)?.[0];
      if (url) resolve(url);
    });
    server.on("exit", (code) => {
      reject(new Error(`the example server exited (${code}) without printing its URL:\n${output}`));
    });
  });
}

test("the example server answers through the middleware", async (t) => {
  const url = await startExample(t);
  const response = await fetch(`${url}/`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { hello: "world" });
});
