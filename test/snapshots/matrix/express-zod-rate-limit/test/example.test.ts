// The example app (`npm run example`) starts, answers within its limit and refuses the request after it.
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

test("the example server answers within its limit, then refuses with 429", async (t) => {
  const url = await startExample(t);
  const limit = 3;
  for (let index = 0; index < limit; index++) {
    const response = await fetch(`${url}/`);
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  }
  const refused = await fetch(`${url}/`);
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert.ok(retryAfter > 0);
  assert.deepEqual(await refused.json(), { error: "Too many requests, please try again later", retryAfter });
});
