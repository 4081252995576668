import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler, type Request } from "express";
import request from "supertest";
import * as pkg from "../src/index.js";

const create = pkg.checkExpressZodRateLimit;
const { ipv6Key, MemoryStore } = pkg;
const LimitError = pkg.CheckExpressZodRateLimitError;
type LimitError = pkg.CheckExpressZodRateLimitError;
type Options = pkg.CheckExpressZodRateLimitOptions;
type RequestOptions = pkg.CheckExpressZodRateLimitOptions<Request>;
type Store = pkg.CheckExpressZodRateLimitStore;
const PACKAGE_NAME = "check-express-zod-rate-limit";
const FACTORY = "checkExpressZodRateLimit";
const ERROR_NAME = "CheckExpressZodRateLimitError";
const TRUST_PROXY = "CHECK_EXPRESS_ZOD_RATE_LIMIT_TRUST_PROXY";
const HOW_TO_FIX = /write app\.use\(checkExpressZodRateLimit\(\)\)/;

const LIMIT = 60;
const WINDOW_MS = 60000;

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

/**
 * An app with the limiter (on the test's clock), a route that echoes `req.rateLimit`, and an error handler
 * that echoes the error. The limiter passes refusals on (`handler: "next"`) unless `options.handler` says otherwise.
 */
function appWith(options: RequestOptions = {}, middleware?: Handler) {
  const clock = manualClock();
  const app = express();
  app.use(middleware ?? (create<Request>({ now: clock.now, handler: "next", ...options }) as Handler));
  app.get("/", (req, res) => {
    res.json({ reached: true, rateLimit: req.rateLimit ?? null });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const error = err as Error & { status?: number; retryAfter?: number };
    res
      .status(error.status ?? 500)
      .json({ name: error.name, message: error.message, retryAfter: error.retryAfter ?? null });
  };
  app.use(onError);
  return { app, clock };
}

/** Sends `count` requests one after the other; resolves with the statuses. */
async function hit(app: express.Express, count: number, key = "a"): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++) statuses.push((await request(app).get("/").set("X-Key", key)).status);
  return statuses;
}

const byHeader = (req: Request) => String(req.headers["x-key"]);

/**
 * Runs a limiter once on a stand-in request and response (`headersSent` as given); resolves with what it
 * passed to next, the headers it set and the request.
 */
function runOnce(
  middleware: (req: Request, res: ServerResponse, next: (err?: unknown) => void) => void,
  req: Partial<Request> = {},
  headersSent = false,
) {
  const headers = new Map<string, string>();
  const res = {
    headersSent,
    setHeader: (name: string, value: string) => {
      headers.set(name, value);
      return res;
    },
  } as unknown as ServerResponse;
  const stand = { ip: "203.0.113.1", headers: {}, socket: {}, ...req } as unknown as Request;
  return new Promise<{ error: unknown; headers: Map<string, string>; req: Request }>((resolve) => {
    middleware(stand, res, (error?: unknown) => resolve({ error, headers, req: stand }));
  });
}

/** A store whose increment answers `answer`, whatever the key. */
const answering = (answer: unknown) => ({ increment: () => answer }) as unknown as Store;

describe("checkExpressZodRateLimit", () => {
  it("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  it("returns a named middleware", () => {
    assert.equal(create().name, `${FACTORY}Middleware`);
  });

  it("lets the limit through, then refuses with 429 and Retry-After", async () => {
    const { app } = appWith({ keyGenerator: byHeader });
    assert.deepEqual(await hit(app, LIMIT), Array(LIMIT).fill(200));
    const refused = await request(app).get("/").set("X-Key", "a").expect(429);
    assert.equal(refused.get("Retry-After"), String(Math.ceil(WINDOW_MS / 1000)));
    assert.deepEqual(refused.body, {
      name: ERROR_NAME,
      message: "Too many requests, please try again later",
      retryAfter: Math.ceil(WINDOW_MS / 1000),
    });
  });

  it("sends the RateLimit headers", async () => {
    const { app, clock } = appWith({ keyGenerator: byHeader });
    const first = await request(app).get("/").set("X-Key", "a").expect(200);
    assert.equal(first.get("RateLimit-Limit"), String(LIMIT));
    assert.equal(first.get("RateLimit-Remaining"), String(LIMIT - 1));
    assert.equal(first.get("RateLimit-Reset"), String(Math.ceil(WINDOW_MS / 1000)));
    assert.equal(first.get("RateLimit-Policy"), `${LIMIT};w=${Math.ceil(WINDOW_MS / 1000)}`);
    clock.time += 1500;
    const second = await request(app).get("/").set("X-Key", "a").expect(200);
    assert.equal(second.get("RateLimit-Remaining"), String(LIMIT - 2));
    assert.equal(second.get("RateLimit-Reset"), String(Math.ceil((WINDOW_MS - 1500) / 1000)));
  });

  it("headers: false leaves the RateLimit headers out, not Retry-After", async () => {
    const { app } = appWith({ keyGenerator: byHeader, headers: false });
    const allowed = await request(app).get("/").set("X-Key", "a").expect(200);
    assert.equal(allowed.get("RateLimit-Limit"), undefined);
    await hit(app, LIMIT - 1);
    const refused = await request(app).get("/").set("X-Key", "a").expect(429);
    assert.equal(refused.get("RateLimit-Remaining"), undefined);
    assert.ok(refused.get("Retry-After"));
  });

  it('standardHeaders: "draft-7" and "draft-8" send one combined RateLimit header', async () => {
    const seconds = Math.ceil(WINDOW_MS / 1000);
    const draft7 = await request(appWith({ keyGenerator: byHeader, standardHeaders: "draft-7" }).app)
      .get("/")
      .set("X-Key", "a")
      .expect(200);
    assert.equal(draft7.get("RateLimit"), `limit=${LIMIT}, remaining=${LIMIT - 1}, reset=${seconds}`);
    assert.equal(draft7.get("RateLimit-Policy"), `${LIMIT};w=${seconds}`);
    assert.equal(draft7.get("RateLimit-Limit"), undefined);
    const draft8 = await request(appWith({ keyGenerator: byHeader, standardHeaders: "draft-8" }).app)
      .get("/")
      .set("X-Key", "a")
      .expect(200);
    assert.equal(draft8.get("RateLimit"), `"${LIMIT}-in-${seconds}s"; r=${LIMIT - 1}; t=${seconds}`);
    assert.equal(draft8.get("RateLimit-Policy"), `"${LIMIT}-in-${seconds}s"; q=${LIMIT}; w=${seconds}`);
  });

  it("starts a new window once the old one ends", async () => {
    const { app, clock } = appWith({ keyGenerator: byHeader });
    await hit(app, LIMIT);
    await request(app).get("/").set("X-Key", "a").expect(429);
    clock.time += WINDOW_MS - 1;
    await request(app).get("/").set("X-Key", "a").expect(429);
    clock.time += 1;
    const fresh = await request(app).get("/").set("X-Key", "a").expect(200);
    assert.equal(fresh.get("RateLimit-Remaining") ?? String(LIMIT - 1), String(LIMIT - 1));
  });

  it("counts each key on its own", async () => {
    const { app } = appWith({ keyGenerator: byHeader });
    await hit(app, LIMIT, "a");
    await request(app).get("/").set("X-Key", "a").expect(429);
    await request(app).get("/").set("X-Key", "b").expect(200);
  });

  it("counts by client address by default", async () => {
    const { app } = appWith();
    const first = await request(app).get("/").expect(200);
    assert.match(first.body.rateLimit.key, /^(::ffff:)?127\.0\.0\.1$|^::1\/|^127\.0\.0\.1$/);
    await hit(app, LIMIT - 1, "a");
    await request(app).get("/").set("X-Key", "b").expect(429);
  });

  it("sets req.rateLimit: limit, used, remaining, resetTime and key", async () => {
    const { app, clock } = appWith({ keyGenerator: byHeader });
    const res = await request(app).get("/").set("X-Key", "a").expect(200);
    assert.deepEqual(res.body.rateLimit, {
      limit: LIMIT,
      used: 1,
      remaining: LIMIT - 1,
      resetTime: new Date(clock.time + WINDOW_MS).toISOString(),
      key: "a",
    });
  });

  it("answers a refusal itself by default: 429, Retry-After and a small JSON body, no stack trace", async () => {
    const { app } = appWith({ keyGenerator: byHeader, handler: undefined });
    await hit(app, LIMIT);
    const refused = await request(app).get("/").set("X-Key", "a").expect(429);
    assert.equal(refused.get("Retry-After"), String(Math.ceil(WINDOW_MS / 1000)));
    assert.match(refused.get("Content-Type") ?? "", /^application\/json/);
    assert.deepEqual(refused.body, {
      error: "Too many requests, please try again later",
      retryAfter: Math.ceil(WINDOW_MS / 1000),
    });
  });

  it("handler: a function of yours answers, with the error", async () => {
    const { app } = appWith({
      keyGenerator: byHeader,
      handler: (_req, res, _next, error) => {
        res.statusCode = 503;
        res.end(`slow down for ${error.retryAfter}s`);
      },
    });
    await hit(app, LIMIT);
    const refused = await request(app).get("/").set("X-Key", "a").expect(503);
    assert.equal(refused.text, `slow down for ${Math.ceil(WINDOW_MS / 1000)}s`);
  });

  it("skip: a request it skips is let through uncounted, sync or async", async () => {
    const { app } = appWith({ keyGenerator: byHeader, skip: async (req) => req.headers["x-skip"] === "1" });
    for (let index = 0; index < LIMIT + 2; index++)
      await request(app).get("/").set("X-Key", "a").set("X-Skip", "1").expect(200);
    const counted = await request(app).get("/").set("X-Key", "a").expect(200);
    assert.equal(counted.body.rateLimit.used, 1);
    const skippedSync = appWith({ keyGenerator: byHeader, skip: () => true });
    assert.deepEqual(await hit(skippedSync.app, LIMIT + 1), Array(LIMIT + 1).fill(200));
  });

  it("keyGenerator: an async one is awaited, so the limit holds", async () => {
    const { app } = appWith({ keyGenerator: async (req) => byHeader(req) });
    assert.deepEqual(await hit(app, LIMIT), Array(LIMIT).fill(200));
    await request(app).get("/").set("X-Key", "a").expect(429);
    await request(app).get("/").set("X-Key", "b").expect(200);
  });

  it("keyGenerator: a value that is not a string reaches the error handler, not the store", async () => {
    const { app } = appWith({ keyGenerator: (() => 42) as unknown as () => string });
    const res = await request(app).get("/").expect(500);
    assert.match(res.body.message, /keyGenerator returned number, not a string/);
  });

  it("resetKey: forgets a key's count", async () => {
    const clock = manualClock();
    const limiter = create<Request>({ keyGenerator: byHeader, now: clock.now });
    const app = express();
    app.use(limiter as Handler);
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    await hit(app, LIMIT);
    await request(app).get("/").set("X-Key", "a").expect(429);
    await limiter.resetKey("a");
    await request(app).get("/").set("X-Key", "a").expect(200);
  });

  it("groups IPv6 clients by their /56 (ipv6Subnet): five addresses in one /64 share one budget", async () => {
    const limiter = create<Request>({ limit: 4, handler: "next" });
    const keys: string[] = [];
    const outcomes: string[] = [];
    const addresses = [
      "2001:db8:1:2::1",
      "2001:db8:1:2::2",
      "2001:db8:1:2:ffff::3",
      "2001:0db8:0001:0002:0:0:0:4",
      "2001:db8:1:2::5",
    ];
    for (const ip of addresses) {
      const req = { ip, headers: {}, socket: {} } as unknown as Request;
      await new Promise<void>((resolve) =>
        limiter(
          req,
          { headersSent: false, setHeader: () => undefined } as unknown as ServerResponse,
          (error?: unknown) => {
            keys.push(req.rateLimit?.key ?? "");
            outcomes.push(error === undefined ? "ok" : "refused");
            resolve();
          },
        ),
      );
    }
    assert.deepEqual(new Set(keys), new Set(["2001:db8:1:0:0:0:0:0/56"]));
    assert.equal(outcomes.filter((outcome) => outcome === "refused").length, 1);
    const alone = create<Request>({ ipv6Subnet: 128 });
    const req = { ip: "2001:db8::1", headers: {}, socket: {} } as unknown as Request;
    await new Promise((resolve) =>
      alone(req, { headersSent: false, setHeader: () => undefined } as unknown as ServerResponse, resolve),
    );
    assert.equal(req.rateLimit?.key, "2001:db8:0:0:0:0:0:1/128");
  });

  it("keeps IPv4 addresses (mapped ones too) as they are", async () => {
    const limiter = create<Request>();
    for (const [ip, key] of [
      ["203.0.113.9", "203.0.113.9"],
      ["::ffff:203.0.113.9", "203.0.113.9"],
    ]) {
      const req = { ip, headers: {}, socket: {} } as unknown as Request;
      await new Promise((resolve) =>
        limiter(req, { headersSent: false, setHeader: () => undefined } as unknown as ServerResponse, resolve),
      );
      assert.equal(req.rateLimit?.key, key);
    }
  });

  it("warns about X-Forwarded-For only when Express's trust proxy is off", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const trusting = appWith();
    trusting.app.set("trust proxy", 1);
    await request(trusting.app).get("/").set("X-Forwarded-For", "198.51.100.7").expect(200);
    // Not under Express (no req.app), or an app without get: nothing to say.
    const limiter = create<Request>({ handler: "next" });
    const bare = await runOnce(limiter, { headers: { "x-forwarded-for": "198.51.100.7" } });
    assert.equal(bare.req.rateLimit?.key, "203.0.113.1");
    const noGet = await runOnce(limiter, { headers: { "x-forwarded-for": "198.51.100.7" }, app: {} as Request["app"] });
    assert.equal(noGet.req.rateLimit?.key, "203.0.113.1");
    assert.equal(warn.mock.calls.filter((call) => String(call.arguments[0]).includes("trust proxy")).length, 0);
  });

  it("warns once when X-Forwarded-For arrives while Express's trust proxy is off", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const { app } = appWith();
    await request(app).get("/").set("X-Forwarded-For", "198.51.100.7").expect(200);
    await request(app).get("/").set("X-Forwarded-For", "198.51.100.8").expect(200);
    const proxyWarnings = warn.mock.calls.filter((call) => String(call.arguments[0]).includes("trust proxy"));
    assert.equal(proxyWarnings.length, 1);
    assert.deepEqual(proxyWarnings[0]?.arguments[1], { code: TRUST_PROXY });
  });

  it("counts by the client's address behind a trusted proxy (trust proxy)", async () => {
    const { app } = appWith({ limit: 1 });
    app.set("trust proxy", 1);
    await request(app).get("/").set("X-Forwarded-For", "198.51.100.7").expect(200);
    const other = await request(app).get("/").set("X-Forwarded-For", "198.51.100.8").expect(200);
    assert.equal(other.body.rateLimit.key, "198.51.100.8");
  });

  it("limit: sets how many requests a window allows", async () => {
    const { app } = appWith({ keyGenerator: byHeader, limit: 2 });
    assert.deepEqual(await hit(app, 3), [200, 200, 429]);
  });

  it("limit and windowMs: must be positive integers", () => {
    assert.throws(() => create({ limit: 0 }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "limit": a positive integer, received 0`,
    });
    assert.throws(() => create({ windowMs: 1.5 }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "windowMs": a positive integer (milliseconds), received 1.5`,
    });
  });

  it("store: counts through a store of your own, which may be async", async () => {
    const calls: Array<[string, number, number]> = [];
    const store: Store = {
      async increment(key, windowMs, now) {
        calls.push([key, windowMs, now]);
        return { count: calls.length, resetAt: now + windowMs };
      },
    };
    const { app, clock } = appWith({ keyGenerator: byHeader, store });
    await request(app).get("/").set("X-Key", "k").expect(200);
    assert.deepEqual(calls, [["k", WINDOW_MS, clock.time]]);
  });

  it("store: accepts a store written for express-rate-limit (init, increment(key) -> { totalHits, resetTime })", async () => {
    const hits = new Map<string, number>();
    let initialised: unknown;
    const resetTime = new Date(1_700_000_030_000);
    const store = {
      init(options: { windowMs: number }) {
        initialised = options.windowMs;
      },
      async increment(key: string) {
        hits.set(key, (hits.get(key) ?? 0) + 1);
        return { totalHits: hits.get(key) ?? 0, resetTime };
      },
    };
    const { app, clock } = appWith({ keyGenerator: byHeader, store, limit: 1 });
    assert.equal(initialised, WINDOW_MS);
    await request(app).get("/").set("X-Key", "a").expect(200);
    const refused = await request(app).get("/").set("X-Key", "a").expect(429);
    assert.equal(refused.get("Retry-After"), String(Math.ceil((resetTime.getTime() - clock.time) / 1000)));
  });

  it("store: an answer of neither shape reaches the error handler, never Retry-After: NaN", async () => {
    const store = { increment: () => ({ hits: 1 }) } as unknown as Store;
    const res = await request(appWith({ store }).app).get("/").expect(500);
    assert.equal(res.get("Retry-After"), undefined);
    assert.match(res.body.message, /the store's increment returned \{"hits":1\}/);
  });

  it("store: a failing store reaches the error handler", async () => {
    const store: Store = {
      increment: async () => {
        throw new Error("redis down");
      },
    };
    const res = await request(appWith({ store }).app).get("/").expect(500);
    assert.equal(res.body.message, "redis down");
  });

  it("starts no timer, and the memory store forgets ended windows", async (t) => {
    // getActiveResourcesInfo() cannot see an unref'd timer: count the calls instead.
    const timeouts = t.mock.method(globalThis, "setTimeout");
    const intervals = t.mock.method(globalThis, "setInterval");
    const clock = manualClock();
    const store = new MemoryStore();
    const middleware = create({ store, now: clock.now, keyGenerator: (req) => req.url ?? "" });
    const res = { headersSent: false, setHeader: () => res } as unknown as ServerResponse;
    const run = (url: string) => new Promise((resolve) => middleware({ url } as IncomingMessage, res, resolve));
    for (const url of ["/a", "/b", "/c"]) await run(url);
    assert.equal(store.size, 3);
    assert.equal(timeouts.mock.callCount() + intervals.mock.callCount(), 0);
    clock.time += 2 * WINDOW_MS;
    await run("/d");
    assert.equal(store.size, 1);
  });

  it("memory store: a window's end never walks the keys (no O(n) sweep blocking the event loop)", (t) => {
    const store = new MemoryStore();
    const start = 1_700_000_000_000;
    for (let index = 0; index < 200_000; index++) store.increment(`k${index}`, WINDOW_MS, start);
    const iterations = t.mock.method(Map.prototype, Symbol.iterator);
    const entries = t.mock.method(Map.prototype, "entries");
    const forEach = t.mock.method(Map.prototype, "forEach");
    const began = performance.now();
    for (const time of [start + WINDOW_MS, start + 2 * WINDOW_MS, start + 5 * WINDOW_MS])
      store.increment("late", WINDOW_MS, time);
    const took = performance.now() - began;
    assert.equal(iterations.mock.callCount() + entries.mock.callCount() + forEach.mock.callCount(), 0);
    assert.ok(took < 50, `three window ends at 200k keys took ${took.toFixed(1)} ms`);
  });

  it("memory store: a key keeps its window across a generation change, and counts on", () => {
    const store = new MemoryStore();
    const start = 1_700_000_000_000;
    store.increment("a", WINDOW_MS, start);
    store.increment("b", WINDOW_MS, start + WINDOW_MS / 2);
    // A new generation starts at start + WINDOW_MS: b's window (till start + 1.5 windows) goes on.
    assert.deepEqual(store.increment("b", WINDOW_MS, start + WINDOW_MS), {
      count: 2,
      resetAt: start + 1.5 * WINDOW_MS,
    });
    assert.deepEqual(store.increment("a", WINDOW_MS, start + WINDOW_MS), { count: 1, resetAt: start + 2 * WINDOW_MS });
    store.resetKey("b");
    assert.deepEqual(store.increment("b", WINDOW_MS, start + WINDOW_MS), { count: 1, resetAt: start + 2 * WINDOW_MS });
  });

  it("memory store: a generation turns at the exact end of its window, and a key moved forward is held in both", () => {
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

  it("CheckExpressZodRateLimitError carries the status Express's default handler uses", async () => {
    const error = new LimitError(30);
    assert.deepEqual([error.status, error.statusCode, error.expose, error.retryAfter], [429, 429, true, 30]);
    const app = express();
    app.use(create({ keyGenerator: () => "everyone", handler: "next" }));
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    for (let index = 0; index < LIMIT; index++) await request(app).get("/").expect(200);
    await request(app).get("/").expect(429);
  });

  it("keyGenerator, skip, store, now and handler: a wrong one is refused when the middleware is made", () => {
    const cases: Array<[Options, string]> = [
      [{ keyGenerator: "ip" as never }, 'invalid option "keyGenerator": a function, received "ip"'],
      [{ skip: true as never }, 'invalid option "skip": a function, received true'],
      [{ store: {} as never }, 'invalid option "store": a store with an increment method, received an object'],
      [{ now: 0 as never }, 'invalid option "now": a function, received 0'],
      [{ handler: "answer" as never }, `invalid option "handler": a function or 'next', received "answer"`],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => create(options), { name: "TypeError", message: `${PACKAGE_NAME}: ${message}` });
    }
  });

  it("limit, windowMs and ipv6Subnet: a fraction or a value out of range is refused, the smallest allowed accepted", () => {
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

  it("skip: only true skips a request; another truthy answer is counted", async () => {
    const limiter = create<Request>({ keyGenerator: () => "k", skip: () => "yes" as unknown as boolean });
    const { req } = await runOnce(limiter);
    assert.equal(req.rateLimit?.used, 1);
  });

  it("keyGenerator: a value that is not a string, from an async one too, reaches next", async () => {
    const { error } = await runOnce(create<Request>({ keyGenerator: async () => 42 as unknown as string }));
    assert.match(String((error as Error).message), /keyGenerator returned number, not a string/);
    const thrown = await runOnce(
      create<Request>({
        keyGenerator: () => {
          throw new Error("no key");
        },
      }),
    );
    assert.equal((thrown.error as Error).message, "no key");
  });

  it("counts by the socket's address when there is no req.ip, and as one 'unknown' client without either", async () => {
    const limiter = create<Request>();
    const bySocket = await runOnce(limiter, {
      ip: undefined,
      socket: { remoteAddress: "198.51.100.2" } as Request["socket"],
    });
    assert.equal(bySocket.req.rateLimit?.key, "198.51.100.2");
    const neither = await runOnce(limiter, { ip: undefined, socket: {} as Request["socket"] });
    assert.equal(neither.req.rateLimit?.key, "unknown");
  });

  it("store: a hit without resetTime ends a window from now; count and remaining come from the store", async () => {
    const now = 1_700_000_000_000;
    const { req, headers } = await runOnce(
      create<Request>({ store: answering({ totalHits: LIMIT + 3 }), now: () => now, handler: "next" }),
    );
    assert.deepEqual(req.rateLimit, {
      limit: LIMIT,
      used: LIMIT + 3,
      remaining: 0,
      resetTime: new Date(now + WINDOW_MS),
      key: "203.0.113.1",
    });
    assert.equal(headers.get("RateLimit-Remaining"), "0");
    assert.equal(headers.get("Retry-After"), String(Math.ceil(WINDOW_MS / 1000)));
  });

  it("store: a window that already ended gives Retry-After 0, never a negative one", async () => {
    const now = 1_700_000_000_000;
    const { error, headers } = await runOnce(
      create<Request>({ store: answering({ count: LIMIT + 1, resetAt: now - 5000 }), now: () => now, handler: "next" }),
    );
    assert.equal((error as LimitError).retryAfter, 0);
    assert.equal(headers.get("Retry-After"), "0");
  });

  it("store: each malformed answer is named in the error, never counted", async () => {
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
      const { error, req } = await runOnce(create<Request>({ store: answering(answer) }));
      assert.equal(
        (error as Error).message,
        `${PACKAGE_NAME}: the store's increment returned ${shown}: expected { count, resetAt } or { totalHits, resetTime }`,
      );
      assert.equal(req.rateLimit, undefined);
    }
  });

  it("store: init learns the limit and the window", () => {
    let initialised: unknown;
    const store: Store = {
      init(options) {
        initialised = options;
      },
      increment: () => ({ count: 1, resetAt: 0 }),
    };
    create({ store });
    assert.deepEqual(initialised, { windowMs: WINDOW_MS, limit: LIMIT });
  });

  it("resetKey: a store without resetKey says so", async () => {
    const limiter = create({ store: answering({ count: 1, resetAt: 0 }) });
    await assert.rejects(limiter.resetKey("a"), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: the store has no resetKey method`,
    });
  });

  it("once the response is sent, sets no header and passes a refusal to next, not to the handler", async () => {
    let handled = false;
    const limiter = create<Request>({
      keyGenerator: () => "k",
      store: answering({ count: LIMIT + 1, resetAt: 1_700_000_060_000 }),
      now: () => 1_700_000_000_000,
      handler: () => {
        handled = true;
      },
    });
    const { error, headers } = await runOnce(limiter, {}, true);
    assert.ok(error instanceof LimitError);
    assert.equal(headers.size, 0);
    assert.equal(handled, false);
  });

  it("answers a refusal with JSON in UTF-8", async () => {
    const { app } = appWith({ keyGenerator: byHeader, handler: undefined });
    await hit(app, LIMIT);
    const refused = await request(app).get("/").set("X-Key", "a").expect(429);
    assert.equal(refused.get("Content-Type"), "application/json; charset=utf-8");
  });

  it("ipv6Key: keeps the first bits of an IPv6 address, however it is written", () => {
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

  it("ipv6Key: returns what does not parse as it is", () => {
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

  it("a next that throws after an async store is reported as a warning, never an unhandled rejection", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const store: Store = { increment: async () => ({ count: 1, resetAt: 0 }) };
    for (const failure of [new Error("next failed"), "next failed"]) {
      const passed: unknown[] = [];
      const res = { headersSent: true } as unknown as ServerResponse;
      create<Request>({ store })(
        { ip: "203.0.113.1", headers: {}, socket: {} } as unknown as Request,
        res,
        (error?: unknown) => {
          passed.push(error);
          throw failure;
        },
      );
      await new Promise((resolve) => setImmediate(resolve));
      // next() threw, so it was called again with that error, which threw too: nowhere left but a warning.
      assert.deepEqual(passed, [undefined, failure]);
    }
    assert.deepEqual(
      warn.mock.calls.map((call) => call.arguments[0]),
      [new Error("next failed"), "next failed"],
    );
  });

  it("with a store, keyGenerator and skip that answer at once, next is called at once too (no promise)", () => {
    let passed: unknown[] | undefined;
    const res = { headersSent: false, setHeader: () => res } as unknown as ServerResponse;
    const limiter = create<Request>({ keyGenerator: () => "now", skip: () => false });
    limiter({ ip: "203.0.113.1", headers: {}, socket: {} } as unknown as Request, res, (...args: unknown[]) => {
      passed = args;
    });
    assert.deepEqual(passed, []);
  });

  it("says how to fix app.use(checkExpressZodRateLimit)", async () => {
    const res = await request(appWith({}, create as unknown as Handler).app)
      .get("/")
      .expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, HOW_TO_FIX);
  });
});
