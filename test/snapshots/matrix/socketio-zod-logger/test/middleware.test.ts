import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Server } from "socket.io";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import checkSocketioZodLoggerDefault, { formatText, checkSocketioZodLogger, type CheckSocketioZodLoggerLogEntry } from "../src/index.js";

let io: Server;
let url: string;
const clients: ClientSocket[] = [];
const lines: Array<{ line: string; entry: CheckSocketioZodLoggerLogEntry }> = [];
const record = (line: string, entry: CheckSocketioZodLoggerLogEntry) => lines.push({ line, entry });

before(async () => {
  const httpServer = createServer();
  io = new Server(httpServer);
  io.use(checkSocketioZodLogger({ log: record }));
  io.of("/chat").use(checkSocketioZodLogger({ log: record }));
  io.of("/json").use(checkSocketioZodLogger({ log: record, format: "json" }));
  io.of("/broken").use(
    checkSocketioZodLogger({
      log: () => {
        throw new Error("disk full");
      },
    }),
  );
  io.of("/misuse").use(checkSocketioZodLogger as never);
  httpServer.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

after(async () => {
  for (const client of clients) client.close();
  await io.close();
});

/** Connects a client; resolves with it once connected, or with the `connect_error` error. */
async function connect(namespace: string, transport: "websocket" | "polling" = "websocket"): Promise<{ client: ClientSocket; error?: Error }> {
  const client = connectClient(url + namespace, { transports: [transport], reconnection: false, forceNew: true });
  clients.push(client);
  return new Promise((resolve) => {
    client.once("connect", () => resolve({ client }));
    client.once("connect_error", (error) => {
      client.close();
      resolve({ client, error });
    });
  });
}

/** Waits until a line about `id` with `event` has been logged. */
async function logged(id: string, event: "connect" | "disconnect") {
  for (;;) {
    const found = lines.find(({ entry }) => entry.id === id && entry.event === event);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("checkSocketioZodLogger", () => {
  test("is the default export too", () => {
    assert.equal(checkSocketioZodLoggerDefault, checkSocketioZodLogger);
  });

  test("returns a named middleware", () => {
    assert.equal(checkSocketioZodLogger().name, "checkSocketioZodLoggerMiddleware");
  });

  for (const transport of ["websocket", "polling"] as const) {
    test(`logs a connection and its end, over ${transport}`, async () => {
      const { client, error } = await connect("/chat", transport);
      assert.equal(error, undefined);
      const id = client.id as string;
      const connected = await logged(id, "connect");
      const { time, ...rest } = connected.entry;
      assert.deepEqual(rest, { event: "connect", id, namespace: "/chat", address: "127.0.0.1", transport });
      assert.ok(Math.abs(Date.now() - Date.parse(time)) < 60_000, `a current ISO timestamp: ${time}`);
      assert.equal(connected.line, `${time} connect ${id} /chat 127.0.0.1 ${transport}`);

      client.disconnect();
      const ended = await logged(id, "disconnect");
      assert.equal(ended.entry.event, "disconnect");
      if (ended.entry.event === "disconnect") {
        assert.equal(ended.entry.reason, "client namespace disconnect");
        assert.ok(ended.entry.durationMs >= 0);
      }
      assert.match(ended.line, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z disconnect ${id} /chat 127\\.0\\.0\\.1 client namespace disconnect \\d+\\.\\d ms$`));
    });
  }

  test("logs the end of a connection the server closes", async () => {
    const { client } = await connect("/");
    const id = client.id as string;
    await logged(id, "connect");
    io.of("/").sockets.get(id)?.disconnect(true);
    const ended = await logged(id, "disconnect");
    assert.equal(ended.entry.event === "disconnect" && ended.entry.reason, "server namespace disconnect");
  });

  test('format: "json" logs one JSON object per line', async () => {
    const { client } = await connect("/json");
    const id = client.id as string;
    const connected = await logged(id, "connect");
    assert.deepEqual(JSON.parse(connected.line), connected.entry);
    client.close();
  });

  test("a throwing log is reported as a warning and the connection still goes through", async () => {
    const warning = once(process, "warning") as Promise<[Error & { code?: string }]>;
    const { error } = await connect("/broken");
    assert.equal(error, undefined);
    const [emitted] = await warning;
    assert.match(emitted.message, /the log option threw: disk full/);
    assert.equal(emitted.code, "CHECK_SOCKETIO_ZOD_LOGGER_LOG_FAILED");
  });

  test("formatText gives one readable line per event", () => {
    assert.equal(
      formatText({ time: "2026-01-31T09:15:07.132Z", event: "disconnect", id: "abc", namespace: "/", address: "::1", reason: "ping timeout", durationMs: 12.34 }),
      "2026-01-31T09:15:07.132Z disconnect abc / ::1 ping timeout 12.3 ms",
    );
  });

  test("io.use(checkSocketioZodLogger) without calling it refuses with a message that says how to fix it", async () => {
    const { error } = await connect("/misuse");
    assert.ok(error);
    assert.match(error.message, /write io\.use\(checkSocketioZodLogger\(\)\)/);
  });
});

describe("checkSocketioZodLogger given a socket instead of options (io.use(checkSocketioZodLogger))", () => {
  test("refuses through next each time, and warns once per process", () => {
    // A process of its own: the warning is once per process.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkSocketioZodLogger } = await import(${JSON.stringify(source)});
      const warnings = [];
      process.on("warning", (warning) => warnings.push({ message: warning.message, code: warning.code }));
      const refusals = [];
      const refuse = (error) => refusals.push(error.message);
      checkSocketioZodLogger({ handshake: {}, nsp: {} }, refuse);
      checkSocketioZodLogger({ handshake: {}, nsp: {} }, refuse);
      // Whatever the first argument, a function after it is Socket.IO's next: the factory was handed to io.use.
      checkSocketioZodLogger({}, refuse);
      setImmediate(() => console.log(JSON.stringify({ refusals, warnings })));
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const misuse =
      "check-socketio-zod-logger: checkSocketioZodLogger was given a socket: it is a factory, write io.use(checkSocketioZodLogger()) instead of io.use(checkSocketioZodLogger)";
    assert.deepEqual(JSON.parse(child.stdout), {
      refusals: [misuse, misuse, misuse],
      warnings: [{ message: misuse, code: "CHECK_SOCKETIO_ZOD_LOGGER_MISUSE" }],
    });
  });
});
