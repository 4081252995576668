// The example server (`npm run example`) starts, serves the Socket.IO client script itself, and a real
// client connects through the middleware with the example's credential and is refused without it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";

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

test("the example server accepts the example credential and refuses a missing one", async (t) => {
  const url = await startExample(t);
  const script = await fetch(`${url}/socket.io/socket.io.js`);
  assert.equal(script.status, 200, "the page loads the client from the server itself");
  await script.arrayBuffer();

  const accepted = io(url, { auth: { token: "secret" }, reconnection: false, transports: ["websocket"] });
  t.after(() => accepted.close());
  const user: unknown = await new Promise((resolve, reject) => {
    accepted.on("connect", () => resolve(accepted.emitWithAck("whoami")));
    accepted.on("connect_error", reject);
  });
  assert.deepEqual(user, { name: "Ada" });

  const refused = io(url, { auth: {}, reconnection: false, transports: ["websocket"] });
  t.after(() => refused.close());
  const error = await new Promise<Error>((resolve, reject) => {
    refused.on("connect", () => reject(new Error("connected without a credential")));
    refused.on("connect_error", resolve);
  });
  assert.ok(error.message.length > 0);
});
