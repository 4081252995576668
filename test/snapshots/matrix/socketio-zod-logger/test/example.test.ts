// The example server (`npm run example`) starts, a real client connects and leaves, and both show in its log.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";

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

test("the example server logs a client's connection and its end", async (t) => {
  const lines: string[] = [];
  const url = await startExample(t, lines);
  const client = io(url, { reconnection: false, transports: ["websocket"] });
  t.after(() => client.close());
  assert.equal(
    await new Promise((resolve, reject) => {
      client.on("connect", () => resolve(client.emitWithAck("ping")));
      client.on("connect_error", reject);
    }),
    "pong",
  );
  const id = client.id as string;
  client.disconnect();
  // Each line starts with its timestamp, then the event and the socket id.
  const seen = (event: string) => lines.some((line) => line.includes(`Z ${event} ${id} `));
  for (let tries = 0; !(seen("connect") && seen("disconnect")) && tries < 200; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(seen("connect") && seen("disconnect"), `the example logged:\n${lines.join("\n")}`);
});

test("the example server serves a page to try it, with the Socket.IO client script", async (t) => {
  const url = await startExample(t, []);
  const page = await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) });
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await page.text(), /<script src="\/socket\.io\/socket\.io\.js"><\/script>/);
  const script = await fetch(`${url}/socket.io/socket.io.js`, { signal: AbortSignal.timeout(5000) });
  assert.equal(script.status, 200);
  await script.arrayBuffer();
});
