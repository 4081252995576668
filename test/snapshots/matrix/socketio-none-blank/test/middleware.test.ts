import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Server } from "socket.io";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import * as pkg from "../src/index.js";

const create = pkg.checkSocketioNoneBlank;
const HOW_TO_FIX = /write io\.use\(checkSocketioNoneBlank\(\)\)/;

let io: Server;
let url: string;
const clients: ClientSocket[] = [];

before(async () => {
  const httpServer = createServer();
  io = new Server(httpServer);
  io.use(create());
  io.of("/off").use(create({ enabled: false }));
  io.of("/misuse").use(create as never);
  for (const namespace of ["/", "/off", "/misuse"]) {
    io.of(namespace).on("connection", (socket) => {
      socket.on("ping", (reply: (answer: string) => void) => reply("pong"));
    });
  }
  httpServer.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

after(async () => {
  for (const client of clients) client.close();
  await io.close();
});

/** Connects a client; resolves with it once connected, or with the `connect_error` error. */
async function connect(namespace: string): Promise<{ client: ClientSocket; error?: Error }> {
  const client = connectClient(url + namespace, { transports: ["websocket"], reconnection: false, forceNew: true });
  clients.push(client);
  return new Promise((resolve) => {
    client.once("connect", () => resolve({ client }));
    client.once("connect_error", (error) => {
      client.close();
      resolve({ client, error });
    });
  });
}

describe("checkSocketioNoneBlank", () => {
  test("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  test("returns a named middleware", () => {
    assert.equal(create().name, "checkSocketioNoneBlankMiddleware");
  });

  test("accepts connections", async () => {
    const { client, error } = await connect("/");
    assert.equal(error, undefined);
    assert.equal(await client.emitWithAck("ping"), "pong");
    client.close();
  });

  test("enabled: false accepts connections too", async () => {
    const { client, error } = await connect("/off");
    assert.equal(error, undefined);
    client.close();
  });

  test("io.use(checkSocketioNoneBlank) without calling it refuses with a message that says how to fix it", async () => {
    const { error } = await connect("/misuse");
    assert.ok(error);
    assert.match(error.message, HOW_TO_FIX);
  });

  test("called with a socket and no next function, it throws", () => {
    assert.throws(() => create({ handshake: {}, nsp: {} } as never), { name: "TypeError", message: HOW_TO_FIX });
  });
});

describe("checkSocketioNoneBlank given a socket instead of options (io.use(checkSocketioNoneBlank))", () => {
  test("refuses through next each time, and warns once per process", () => {
    // A process of its own: the warning is once per process.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkSocketioNoneBlank } = await import(${JSON.stringify(source)});
      const warnings = [];
      process.on("warning", (warning) => warnings.push({ message: warning.message, code: warning.code }));
      const refusals = [];
      const refuse = (error) => refusals.push(error.message);
      checkSocketioNoneBlank({ handshake: {}, nsp: {} }, refuse);
      checkSocketioNoneBlank({ handshake: {}, nsp: {} }, refuse);
      // Whatever the first argument, a function after it is Socket.IO's next: the factory was handed to io.use.
      checkSocketioNoneBlank({}, refuse);
      setImmediate(() => console.log(JSON.stringify({ refusals, warnings })));
    `;
    const args = ["--import", "tsx", "--input-type=module", "--eval", script];
    const child = spawnSync(process.execPath, args, { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const misuse = `check-socketio-none-blank: checkSocketioNoneBlank was given a socket: it is a factory, write io.use(checkSocketioNoneBlank()) instead of io.use(checkSocketioNoneBlank)`;
    const code = "CHECK_SOCKETIO_NONE_BLANK_MISUSE";
    assert.deepEqual(JSON.parse(child.stdout), {
      refusals: [misuse, misuse, misuse],
      warnings: [{ message: misuse, code }],
    });
  });
});
