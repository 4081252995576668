import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Server, type Socket } from "socket.io";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import * as pkg from "../src/index.js";

const create = pkg.checkSocketioTypeboxRateLimit;
const { ipv6Key, MemoryStore } = pkg;
const isLimitError = pkg.isCheckSocketioTypeboxRateLimitError;
const LimitError = pkg.CheckSocketioTypeboxRateLimitError;
type Options = pkg.CheckSocketioTypeboxRateLimitOptions;
type Store = pkg.CheckSocketioTypeboxRateLimitStore;
const PACKAGE_NAME = "check-socketio-typebox-rate-limit";
const FACTORY = "checkSocketioTypeboxRateLimit";
const ERROR_NAME = "CheckSocketioTypeboxRateLimitError";
const MISUSE = "CHECK_SOCKETIO_TYPEBOX_RATE_LIMIT_MISUSE";
const HOW_TO_FIX = /write io\.use\(checkSocketioTypeboxRateLimit\(\)\)/;

const LIMIT = 60;
const WINDOW_MS = 60000;

/** A clock the test moves by hand. */
const clock = { time: 1_700_000_000_000, now: () => clock.time };

/** Counts by the key the client sends, so each test has its own. */
const byKey = (socket: Socket) => String(socket.handshake.auth.key);

let io: Server;
let url: string;
const clients: ClientSocket[] = [];
const seen: Array<[string, number, number]> = [];

before(async () => {
  const httpServer = createServer();
  io = new Server(httpServer);
  const withClock: Options = { keyGenerator: byKey, now: clock.now };
  io.use(create(withClock));
  io.of("/by-address").use(create({ now: clock.now }));
  const recording: Store = {
    async increment(key, windowMs, now) {
      seen.push([key, windowMs, now]);
      return { count: 1, resetAt: now + windowMs };
    },
  };
  io.of("/custom-store").use(create({ ...withClock, store: recording }));
  const failing: Store = {
    increment: async () => {
      throw new Error("redis down");
    },
  };
  io.of("/failing-store").use(create({ ...withClock, store: failing }));
  io.of("/misuse").use(create as never);
  httpServer.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

after(async () => {
  for (const client of clients) client.close();
  await io.close();
});

/** Connects and disconnects a client; resolves with the `connect_error` error, or undefined once connected. */
async function attempt(namespace: string, key: string): Promise<Error | undefined> {
  const client = connectClient(url + namespace, {
    auth: { key },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  clients.push(client);
  return new Promise((resolve) => {
    client.once("connect", () => {
      client.close();
      resolve(undefined);
    });
    client.once("connect_error", (error) => {
      client.close();
      resolve(error);
    });
  });
}

async function attempts(namespace: string, key: string, count: number): Promise<Array<string>> {
  const outcomes: string[] = [];
  for (let index = 0; index < count; index++) {
    const error = await attempt(namespace, key);
    outcomes.push(error ? (isLimitError(error) ? error.data.code : error.message) : "ok");
  }
  return outcomes;
}

describe("checkSocketioTypeboxRateLimit", () => {
  test("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  test("returns a named middleware", () => {
    assert.equal(create().name, `${FACTORY}Middleware`);
  });

  test("lets the limit through, then refuses with err.data = { code, retryAfter }", async () => {
    assert.deepEqual(await attempts("/", "a", LIMIT), Array(LIMIT).fill("ok"));
    const error = await attempt("/", "a");
    assert.ok(isLimitError(error));
    assert.equal(error.message, "Too many connections, please retry later");
    assert.deepEqual(error.data, { code: "RATE_LIMITED", retryAfter: Math.ceil(WINDOW_MS / 1000) });
  });

  test("starts a new window once the old one ends", async () => {
    await attempts("/", "b", LIMIT);
    assert.deepEqual(await attempts("/", "b", 1), ["RATE_LIMITED"]);
    clock.time += WINDOW_MS - 1;
    const late = await attempt("/", "b");
    assert.ok(isLimitError(late));
    assert.equal(late.data.retryAfter, 1);
    clock.time += 1;
    assert.deepEqual(await attempts("/", "b", 1), ["ok"]);
  });

  test("counts each key on its own", async () => {
    await attempts("/", "c", LIMIT + 1);
    assert.deepEqual(await attempts("/", "d", 1), ["ok"]);
  });

  test("counts by client address by default", async () => {
    clock.time += WINDOW_MS;
    await attempts("/by-address", "e", LIMIT);
    assert.deepEqual(await attempts("/by-address", "f", 1), ["RATE_LIMITED"]);
  });

  test("store: counts through a store of your own, which may be async", async () => {
    assert.deepEqual(await attempts("/custom-store", "g", 1), ["ok"]);
    assert.deepEqual(seen, [["g", WINDOW_MS, clock.time]]);
  });

  test("store: a failing store refuses the connection, without sending its error to the client", async () => {
    const error = await attempt("/failing-store", "h");
    assert.ok(isLimitError(error));
    assert.deepEqual(error.data, { code: "STORE_FAILED", retryAfter: 5 });
    assert.doesNotMatch(error.message, /redis/);
  });

  test("starts no timer, and the memory store forgets ended windows", async (t) => {
    // getActiveResourcesInfo() cannot see an unref'd timer: count the calls instead.
    const timeouts = t.mock.method(globalThis, "setTimeout");
    const intervals = t.mock.method(globalThis, "setInterval");
    const local = { time: 0 };
    const store = new MemoryStore();
    const middleware = create({ store, now: () => local.time, keyGenerator: (socket) => socket.id });
    const run = (id: string) => new Promise((resolve) => middleware({ id } as Socket, resolve));
    for (const id of ["a", "b", "c"]) await run(id);
    assert.equal(store.size, 3);
    assert.equal(timeouts.mock.callCount() + intervals.mock.callCount(), 0);
    local.time += 2 * WINDOW_MS;
    await run("d");
    assert.equal(store.size, 1);
  });

  test("memory store: a window's end never walks the keys (no O(n) sweep blocking the event loop)", (t) => {
    const store = new MemoryStore();
    for (let index = 0; index < 200_000; index++) store.increment(`k${index}`, WINDOW_MS, 0);
    const iterations = t.mock.method(Map.prototype, Symbol.iterator);
    const entries = t.mock.method(Map.prototype, "entries");
    const forEach = t.mock.method(Map.prototype, "forEach");
    const began = performance.now();
    for (const time of [WINDOW_MS, 2 * WINDOW_MS, 5 * WINDOW_MS]) store.increment("late", WINDOW_MS, time);
    const took = performance.now() - began;
    assert.equal(iterations.mock.callCount() + entries.mock.callCount() + forEach.mock.callCount(), 0);
    assert.ok(took < 50, `three window ends at 200k keys took ${took.toFixed(1)} ms`);
  });

  test("memory store: a generation turns at the exact end of its window, and a key moved forward is held in both", () => {
    const store = new MemoryStore();
    const start = 1_700_000_000_000;
    store.increment("a", WINDOW_MS, start);
    store.increment("b", WINDOW_MS, start + WINDOW_MS / 2);
    // start + WINDOW_MS turns the generation: a and b become the previous one; b, hit again, moves forward.
    assert.deepEqual(store.increment("b", WINDOW_MS, start + WINDOW_MS), {
      count: 2,
      resetAt: start + 1.5 * WINDOW_MS,
    });
    assert.equal(store.size, 3);
    // resetKey forgets b in both generations: its next hit starts a new window.
    store.resetKey("b");
    assert.equal(store.size, 1);
    assert.deepEqual(store.increment("b", WINDOW_MS, start + WINDOW_MS), { count: 1, resetAt: start + 2 * WINDOW_MS });
    // start + 2 * WINDOW_MS turns it again: the generation b moved into is kept as the previous one, a's dropped.
    store.increment("c", WINDOW_MS, start + 2 * WINDOW_MS);
    assert.equal(store.size, 2);
  });

  /** Runs a middleware on a stand-in socket; resolves with what it passed to next. */
  const runOn = (middleware: ReturnType<typeof create>, socket: Partial<Socket>) =>
    new Promise<Error | undefined>((resolve) =>
      middleware({ handshake: { address: "203.0.113.1", auth: {} }, ...socket } as Socket, resolve),
    );

  test("keyGenerator: an async one is awaited, so the limit holds", async () => {
    const middleware = create({ keyGenerator: async () => "same", now: () => 0 });
    const outcomes: string[] = [];
    for (let index = 0; index <= LIMIT; index++) {
      const error = await runOn(middleware, {});
      outcomes.push(isLimitError(error) ? error.data.code : "ok");
    }
    assert.deepEqual(outcomes, [...Array(LIMIT).fill("ok"), "RATE_LIMITED"]);
  });

  test("skip: a connection it skips is let through uncounted", async () => {
    const middleware = create({
      keyGenerator: () => "same",
      now: () => 0,
      skip: async (socket) => socket.id === "health",
    });
    for (let index = 0; index <= LIMIT; index++) assert.equal(await runOn(middleware, { id: "health" }), undefined);
    assert.equal(await runOn(middleware, { id: "user" }), undefined);
  });

  test("resetKey: forgets a key's count", async () => {
    const middleware = create({ keyGenerator: () => "same", now: () => 0 });
    for (let index = 0; index < LIMIT; index++) await runOn(middleware, {});
    assert.ok(isLimitError(await runOn(middleware, {})));
    await middleware.resetKey("same");
    assert.equal(await runOn(middleware, {}), undefined);
  });

  test("groups IPv6 clients by their /56 (ipv6Subnet): five addresses in one /64 share one budget", async () => {
    const keys: string[] = [];
    const recording: Store = {
      increment(key, windowMs, now) {
        keys.push(key);
        return { count: 1, resetAt: now + windowMs };
      },
    };
    const middleware = create({ store: recording });
    for (const address of [
      "2001:db8:1:2::1",
      "2001:db8:1:2::2",
      "2001:db8:1:2:ffff::3",
      "2001:0db8:0001:0002:0:0:0:4",
      "::ffff:203.0.113.5",
    ]) {
      await runOn(middleware, { handshake: { address, auth: {} } as Socket["handshake"] });
    }
    assert.deepEqual(keys, [...Array(4).fill("2001:db8:1:0:0:0:0:0/56"), "203.0.113.5"]);
  });

  test("store: accepts a store written for express-rate-limit, and refuses an answer of neither shape", async () => {
    let initialised: unknown;
    const hits = new Map<string, number>();
    const compatible = {
      init: (options: { windowMs: number }) => {
        initialised = options.windowMs;
      },
      increment: async (key: string) => {
        hits.set(key, (hits.get(key) ?? 0) + 1);
        return { totalHits: hits.get(key) ?? 0, resetTime: new Date(30_000) };
      },
    };
    const middleware = create({ store: compatible, keyGenerator: () => "k", now: () => 0 });
    assert.equal(initialised, WINDOW_MS);
    for (let index = 0; index < LIMIT; index++) assert.equal(await runOn(middleware, {}), undefined);
    const refused = await runOn(middleware, {});
    assert.ok(isLimitError(refused));
    assert.deepEqual(refused.data, { code: "RATE_LIMITED", retryAfter: 30 });

    const odd = create({ store: { increment: () => ({ hits: 1 }) } as unknown as Store });
    const error = await runOn(odd, {});
    assert.ok(isLimitError(error));
    assert.equal(error.data.code, "STORE_FAILED");
    assert.match(String((error.cause as Error).message), /the store's increment returned \{"hits":1\}/);
  });

  test("limit and windowMs: must be positive integers", () => {
    assert.throws(() => create({ limit: 0 }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "limit": a positive integer, received 0`,
    });
    assert.throws(() => create({ windowMs: 1.5 }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "windowMs": a positive integer (milliseconds), received 1.5`,
    });
  });

  test("isCheckSocketioTypeboxRateLimitError recognises a refusal and nothing else", () => {
    assert.equal(isLimitError(new LimitError("RATE_LIMITED", 3)), true);
    assert.equal(isLimitError(new Error("other")), false);
    assert.equal(isLimitError(Object.assign(new Error("x"), { data: { code: "OTHER", retryAfter: 1 } })), false);
  });

  /** A store whose increment answers `answer`, whatever the key. */
  const answering = (answer: unknown) => ({ increment: () => answer }) as unknown as Store;

  test("keyGenerator, skip, store and now: a wrong one is refused when the middleware is made", () => {
    const cases: Array<[Options, string]> = [
      [{ keyGenerator: "ip" as never }, 'invalid option "keyGenerator": a function, received "ip"'],
      [{ skip: true as never }, 'invalid option "skip": a function, received true'],
      [{ store: {} as never }, 'invalid option "store": a store with an increment method, received an object'],
      [{ now: 0 as never }, 'invalid option "now": a function, received 0'],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => create(options), { name: "TypeError", message: `${PACKAGE_NAME}: ${message}` });
    }
  });

  test("limit, windowMs and ipv6Subnet: a fraction or a value out of range is refused, the smallest allowed accepted", () => {
    assert.throws(() => create({ limit: 1.5 }), {
      message: /invalid option "limit": a positive integer, received 1.5/,
    });
    assert.throws(() => create({ windowMs: 0 }), {
      message: /invalid option "windowMs": a positive integer \(milliseconds\), received 0/,
    });
    assert.equal(typeof create({ limit: 1, windowMs: 1 }), "function");
    for (const ipv6Subnet of [0, 129, 56.5]) {
      assert.throws(() => create({ ipv6Subnet }), {
        message: `${PACKAGE_NAME}: invalid option "ipv6Subnet": an integer from 1 to 128, received ${ipv6Subnet}`,
      });
    }
    assert.equal(typeof create({ ipv6Subnet: 1 }), "function");
    assert.equal(typeof create({ ipv6Subnet: 128 }), "function");
  });

  test("skip: only true skips a connection, sync or async; another truthy answer is counted", async () => {
    const always = create({ keyGenerator: () => "same", now: () => 0, skip: () => true });
    for (let index = 0; index <= LIMIT; index++) assert.equal(await runOn(always, {}), undefined);
    const truthy = create({ keyGenerator: () => "same", now: () => 0, skip: () => "yes" as unknown as boolean });
    for (let index = 0; index < LIMIT; index++) assert.equal(await runOn(truthy, {}), undefined);
    const refused = await runOn(truthy, {});
    assert.ok(isLimitError(refused));
    assert.equal(refused.data.code, "RATE_LIMITED");
  });

  test("keyGenerator: a throw, or a value that is not a string (from an async one too), refuses the connection uncounted", async () => {
    const thrown = await runOn(
      create({
        keyGenerator: () => {
          throw new Error("no key");
        },
      }),
      {},
    );
    assert.ok(isLimitError(thrown));
    assert.deepEqual(
      [thrown.data, (thrown.cause as Error).message],
      [{ code: "STORE_FAILED", retryAfter: 5 }, "no key"],
    );
    assert.equal(thrown.message, "The connection could not be counted, please retry later");
    for (const keyGenerator of [() => 42 as unknown as string, async () => 42 as unknown as string]) {
      const error = await runOn(create({ keyGenerator }), {});
      assert.ok(isLimitError(error));
      assert.equal(error.data.code, "STORE_FAILED");
      assert.equal((error.cause as Error).message, `${PACKAGE_NAME}: keyGenerator returned number, not a string`);
    }
  });

  test("store: a hit without resetTime ends a window from now; a window already ended gives retryAfter 0", async () => {
    const fresh = await runOn(create({ store: answering({ totalHits: LIMIT + 1 }), now: () => 1000 }), {});
    assert.ok(isLimitError(fresh));
    assert.deepEqual(fresh.data, { code: "RATE_LIMITED", retryAfter: Math.ceil(WINDOW_MS / 1000) });
    const ended = await runOn(create({ store: answering({ count: LIMIT + 1, resetAt: 0 }), now: () => 5000 }), {});
    assert.ok(isLimitError(ended));
    assert.deepEqual(ended.data, { code: "RATE_LIMITED", retryAfter: 0 });
    assert.equal(ended.message, "Too many connections, please retry later");
    assert.equal("cause" in ended, false);
    assert.equal(await runOn(create({ store: answering({ count: LIMIT, resetAt: 0 }) }), {}), undefined);
  });

  test("store: each malformed answer is named in the refusal's cause, never counted", async () => {
    const circular: Record<string, unknown> = { count: "1" };
    circular.self = circular;
    for (const [answer, shown] of [
      [null, "null"],
      [undefined, "undefined"],
      [{ count: "1", resetAt: 5 }, '{"count":"1","resetAt":5}'],
      [{ count: Number.POSITIVE_INFINITY, resetAt: 5 }, '{"count":null,"resetAt":5}'],
      [{ count: 1, resetAt: "soon" }, '{"count":1,"resetAt":"soon"}'],
      [{ count: 1, resetAt: Number.NaN }, '{"count":1,"resetAt":null}'],
      [{ totalHits: 1, resetTime: 5 }, '{"totalHits":1,"resetTime":5}'],
      [circular, "[object Object]"],
    ] as Array<[unknown, string]>) {
      const error = await runOn(create({ store: answering(answer) }), {});
      assert.ok(isLimitError(error));
      assert.equal(error.data.code, "STORE_FAILED");
      assert.equal(
        (error.cause as Error).message,
        `${PACKAGE_NAME}: the store's increment returned ${shown}: expected { count, resetAt } or { totalHits, resetTime }`,
      );
    }
  });

  test("store: init learns the limit and the window; resetKey says when the store has none", async () => {
    let initialised: unknown;
    const store: Store = {
      init(options) {
        initialised = options;
      },
      increment: () => ({ count: 1, resetAt: 0 }),
    };
    const middleware = create({ store });
    assert.deepEqual(initialised, { windowMs: WINDOW_MS, limit: LIMIT });
    await assert.rejects(middleware.resetKey("a"), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: the store has no resetKey method`,
    });
  });

  test("isCheckSocketioTypeboxRateLimitError: data must be an object with a known code and a numeric retryAfter", () => {
    for (const data of [
      null,
      "RATE_LIMITED",
      { code: 1, retryAfter: 1 },
      { code: "RATE_LIMITED", retryAfter: "1" },
      { code: "RATE_LIMITED" },
    ]) {
      assert.equal(isLimitError(Object.assign(new Error("x"), { data })), false);
    }
    assert.equal(isLimitError({ message: "x", data: { code: "RATE_LIMITED", retryAfter: 1 } }), false);
    assert.equal(isLimitError(Object.assign(new Error("x"), { data: { code: "STORE_FAILED", retryAfter: 5 } })), true);
  });

  test("ipv6Key: keeps the first bits of an IPv6 address, however it is written", () => {
    assert.equal(ipv6Key("2001:db8:abcd:12ff:1:2:3:4", 64), "2001:db8:abcd:12ff:0:0:0:0/64");
    assert.equal(ipv6Key("2001:db8:abcd:12ff::1", 60), "2001:db8:abcd:12f0:0:0:0:0/60");
    assert.equal(ipv6Key("ffff::1", 1), "8000:0:0:0:0:0:0:0/1");
    assert.equal(ipv6Key("2001:DB8::1", 128), "2001:db8:0:0:0:0:0:1/128");
    assert.equal(ipv6Key("fe80::1%eth0", 64), "fe80:0:0:0:0:0:0:0/64");
    assert.equal(ipv6Key("64:ff9b::192.10.128.33", 128), "64:ff9b:0:0:0:0:c00a:8021/128");
    assert.equal(ipv6Key("1::ffff:192.0.2.1", 128), "1:0:0:0:0:ffff:c000:201/128");
    assert.equal(ipv6Key("::", 56), "0:0:0:0:0:0:0:0/56");
    assert.equal(ipv6Key("::1", 128), "0:0:0:0:0:0:0:1/128");
    assert.equal(ipv6Key("1::", 128), "1:0:0:0:0:0:0:0/128");
    assert.equal(ipv6Key("::FFFF:198.51.100.7", 56), "198.51.100.7");
  });

  test("ipv6Key: returns what does not parse as it is", () => {
    for (const address of [
      "unknown",
      "1:2:3",
      "1::2::3",
      "1:2:3:4::5:6:7:8::9",
      "1:2:3:4:5:6:7:8::",
      "::1:2:3:4:5:6:7:8",
      "1:2:3:4:5::6:7:8:9",
      "12345::1",
      "g::1",
      ":::",
      "::ffff:192.0.2.1:5",
    ]) {
      assert.equal(ipv6Key(address, 56), address);
    }
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

  test("a next that throws after an async store is reported as a warning, never an unhandled rejection", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const store: Store = { increment: async () => ({ count: 1, resetAt: 0 }) };
    for (const failure of [new Error("next failed"), "next failed"]) {
      const passed: unknown[] = [];
      create({ store })({ handshake: { address: "203.0.113.1", auth: {} } } as Socket, (error?: unknown) => {
        passed.push(error);
        throw failure;
      });
      await new Promise((resolve) => setImmediate(resolve));
      // next() threw, so the connection was refused as uncounted, and that next threw too: only a warning is left.
      assert.equal(passed.length, 2);
      assert.equal(passed[0], undefined);
      assert.ok(isLimitError(passed[1]));
      assert.equal((passed[1] as Error).cause, failure);
    }
    assert.deepEqual(
      warn.mock.calls.map((call) => call.arguments[0]),
      [new Error("next failed"), "next failed"],
    );
  });

  test("with a store, keyGenerator and skip that answer at once, next is called at once too (no promise)", () => {
    let passed: unknown[] | undefined;
    const middleware = create({ keyGenerator: () => "now", skip: () => false });
    middleware({ handshake: { address: "203.0.113.1", auth: {} } } as Socket, (...args: unknown[]) => {
      passed = args;
    });
    assert.deepEqual(passed, []);
    assert.equal(new LimitError("STORE_FAILED", 5).name, ERROR_NAME);
  });

  test("io.use(checkSocketioTypeboxRateLimit) without calling it refuses with a message that says how to fix it", async () => {
    const error = await attempt("/misuse", "i");
    assert.ok(error);
    assert.match(error.message, HOW_TO_FIX);
  });
});

describe("checkSocketioTypeboxRateLimit given a socket instead of options (io.use(checkSocketioTypeboxRateLimit))", () => {
  test("refuses through next each time, and warns once per process", () => {
    // A process of its own: the warning is once per process.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkSocketioTypeboxRateLimit } = await import(${JSON.stringify(source)});
      const warnings = [];
      process.on("warning", (warning) => warnings.push({ message: warning.message, code: warning.code }));
      const refusals = [];
      const refuse = (error) => refusals.push(error.message);
      checkSocketioTypeboxRateLimit({ handshake: {}, nsp: {} }, refuse);
      checkSocketioTypeboxRateLimit({ handshake: {}, nsp: {} }, refuse);
      // Whatever the first argument, a function after it is Socket.IO's next: the factory was handed to io.use.
      const returned = checkSocketioTypeboxRateLimit({}, refuse);
      // What it returns still has the middleware's shape, so code that calls resetKey on it does not throw.
      const shape = [typeof returned, typeof returned.resetKey, await returned.resetKey("a key")];
      setImmediate(() => console.log(JSON.stringify({ refusals, warnings, shape })));
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    const misuse = `${PACKAGE_NAME}: ${FACTORY} was given a socket: it is a factory, write io.use(${FACTORY}()) instead of io.use(${FACTORY})`;
    assert.deepEqual(JSON.parse(child.stdout), {
      refusals: [misuse, misuse, misuse],
      warnings: [{ message: misuse, code: MISUSE }],
      shape: ["function", "function", null],
    });
  });
});
