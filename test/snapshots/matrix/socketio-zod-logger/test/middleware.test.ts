import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { performance } from "node:perf_hooks";
import { Server, type Socket } from "socket.io";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import * as pkg from "../src/index.js";

const create = pkg.checkSocketioZodLogger;
const { formatText } = pkg;
type LogEntry = pkg.CheckSocketioZodLoggerLogEntry;
const PACKAGE_NAME = "check-socketio-zod-logger";
const FACTORY = "checkSocketioZodLogger";
const LOG_FAILED = "CHECK_SOCKETIO_ZOD_LOGGER_LOG_FAILED";
const MISUSE = "CHECK_SOCKETIO_ZOD_LOGGER_MISUSE";
const HOW_TO_FIX = /write io\.use\(checkSocketioZodLogger\(\)\)/;

let io: Server;
let url: string;
const clients: ClientSocket[] = [];
const lines: Array<{ line: string; entry: LogEntry }> = [];
const record = (line: string, entry: LogEntry) => lines.push({ line, entry });

before(async () => {
  const httpServer = createServer();
  io = new Server(httpServer);
  io.use(create({ log: record }));
  io.of("/chat").use(create({ log: record }));
  io.of("/json").use(create({ log: record, format: "json" }));
  io.of("/broken").use(
    create({
      log: () => {
        throw new Error("disk full");
      },
    }),
  );
  io.of("/misuse").use(create as never);
  httpServer.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

after(async () => {
  for (const client of clients) client.close();
  await io.close();
});

/** Connects a client; resolves with it once connected, or with the `connect_error` error. */
async function connect(
  namespace: string,
  transport: "websocket" | "polling" = "websocket",
): Promise<{ client: ClientSocket; error?: Error }> {
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

/** A stand-in socket with what the middleware reads; `disconnect(reason)` runs its disconnect listeners. */
function standIn(id: string) {
  const listeners: Array<(reason: string) => void> = [];
  const socket = {
    id,
    nsp: { name: "/room" },
    handshake: { address: "203.0.113.4" },
    conn: { transport: { name: "polling" } },
    once(event: string, listener: (reason: string) => void) {
      if (event === "disconnect") listeners.push(listener);
      return socket;
    },
  };
  const disconnect = (reason: string) => {
    for (const listener of listeners) listener(reason);
  };
  return { socket: socket as unknown as Socket, disconnect };
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
    assert.equal(pkg.default, create);
  });

  test("returns a named middleware", () => {
    assert.equal(create().name, `${FACTORY}Middleware`);
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
      assert.match(
        ended.line,
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z disconnect ${id} /chat 127\\.0\\.0\\.1 client namespace disconnect \\d+\\.\\d ms$`,
        ),
      );
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
    assert.equal(emitted.code, LOG_FAILED);
  });

  test("formatText gives one readable line per event", () => {
    assert.equal(
      formatText({
        time: "2026-01-31T09:15:07.132Z",
        event: "disconnect",
        id: "abc",
        namespace: "/",
        address: "::1",
        reason: "ping timeout",
        durationMs: 12.34,
      }),
      "2026-01-31T09:15:07.132Z disconnect abc / ::1 ping timeout 12.3 ms",
    );
  });

  test("logs every field of a connection and of its end, the duration within the time it took", () => {
    const seen: Array<{ line: string; entry: LogEntry }> = [];
    const middleware = create({ log: (line, entry) => seen.push({ line, entry }) });
    const { socket, disconnect } = standIn("s1");
    const startedAt = Date.now();
    const began = performance.now();
    const passed: unknown[][] = [];
    middleware(socket, (...args) => passed.push(args));
    assert.deepEqual(passed, [[]]);
    disconnect("transport close");
    const took = performance.now() - began;
    const [connected, ended] = seen;
    assert.equal(seen.length, 2);
    assert.ok(connected && ended);
    const { time: connectedAt, ...connect } = connected.entry;
    assert.deepEqual(connect, {
      event: "connect",
      id: "s1",
      namespace: "/room",
      address: "203.0.113.4",
      transport: "polling",
    });
    assert.equal(ended.entry.event, "disconnect");
    if (ended.entry.event !== "disconnect") return;
    const { time: endedAt, durationMs, ...end } = ended.entry;
    assert.deepEqual(end, {
      event: "disconnect",
      id: "s1",
      namespace: "/room",
      address: "203.0.113.4",
      reason: "transport close",
    });
    assert.ok(durationMs >= 0 && durationMs <= took, `${durationMs} ms, not within the ${took} ms it took`);
    for (const time of [connectedAt, endedAt]) {
      assert.equal(new Date(time).toISOString(), time);
      assert.ok(Date.parse(time) >= startedAt && Date.parse(time) <= Date.now(), `${time} is not now`);
    }
    assert.equal(connected.line, formatText(connected.entry));
    assert.equal(ended.line, formatText(ended.entry));
  });

  test("without a log option, writes each line to stdout", (t) => {
    const write = t.mock.method(process.stdout, "write", () => true);
    create()(standIn("s2").socket, () => {});
    const written = write.mock.calls.map((call) => String(call.arguments[0]));
    write.mock.restore();
    assert.equal(written.length, 1);
    assert.match(written[0] ?? "", /^\d{4}-\d\d-\d\dT[\d:.]+Z connect s2 \/room 203\.0\.113\.4 polling\n$/);
  });

  test("log: anything but a function is refused when the middleware is made", () => {
    assert.throws(() => create({ log: "stdout" as never }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "log": a function, received "stdout"`,
    });
  });

  test("a log that throws something other than an Error is reported too", (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const middleware = create({
      log: () => {
        throw "disk full";
      },
    });
    let passed = 0;
    middleware(standIn("s3").socket, () => passed++);
    assert.equal(passed, 1);
    assert.deepEqual(
      warn.mock.calls.map((call) => call.arguments),
      [[`${PACKAGE_NAME}: the log option threw: disk full`, { code: LOG_FAILED }]],
    );
  });

  test("formatText: a connection's line ends with its transport", () => {
    assert.equal(
      formatText({
        time: "2026-01-31T09:15:07.132Z",
        event: "connect",
        id: "abc",
        namespace: "/chat",
        address: "::1",
        transport: "websocket",
      }),
      "2026-01-31T09:15:07.132Z connect abc /chat ::1 websocket",
    );
  });

  test("options that are a socket without next, or null, are refused with what to fix", () => {
    assert.throws(() => create({ handshake: {}, nsp: {} } as never), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: ${FACTORY} was given a socket: it is a factory, write io.use(${FACTORY}()) instead of io.use(${FACTORY})`,
    });
    // Only a value with both a handshake and a namespace looks like a socket: this one is an unknown option.
    assert.throws(() => create({ handshake: {} } as never), { message: /invalid option "handshake"/ });
    assert.throws(() => create(null as never), {
      message: `${PACKAGE_NAME}: invalid options: an object, received null`,
    });
  });

  test("io.use(checkSocketioZodLogger) without calling it refuses with a message that says how to fix it", async () => {
    const { error } = await connect("/misuse");
    assert.ok(error);
    assert.match(error.message, HOW_TO_FIX);
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
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    const misuse = `${PACKAGE_NAME}: ${FACTORY} was given a socket: it is a factory, write io.use(${FACTORY}()) instead of io.use(${FACTORY})`;
    assert.deepEqual(JSON.parse(child.stdout), {
      refusals: [misuse, misuse, misuse],
      warnings: [{ message: misuse, code: MISUSE }],
    });
  });
});
