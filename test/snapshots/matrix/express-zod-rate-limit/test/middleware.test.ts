import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler, type Request } from "express";
import request from "supertest";
import checkExpressZodRateLimitDefault, { MemoryStore, checkExpressZodRateLimit, CheckExpressZodRateLimitError, type CheckExpressZodRateLimitOptions, type CheckExpressZodRateLimitStore } from "../src/index.js";

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
function appWith(options: CheckExpressZodRateLimitOptions<Request> = {}, middleware?: Handler) {
  const clock = manualClock();
  const app = express();
  app.use(middleware ?? (checkExpressZodRateLimit<Request>({ now: clock.now, handler: "next", ...options }) as Handler));
  app.get("/", (req, res) => {
    res.json({ reached: true, rateLimit: req.rateLimit ?? null });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const error = err as Error & { status?: number; retryAfter?: number };
    res.status(error.status ?? 500).json({ name: error.name, message: error.message, retryAfter: error.retryAfter ?? null });
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

describe("checkExpressZodRateLimit", () => {
  it("is the default export too", () => {
    assert.equal(checkExpressZodRateLimitDefault, checkExpressZodRateLimit);
  });

  it("returns a named middleware", () => {
    assert.equal(checkExpressZodRateLimit().name, "checkExpressZodRateLimitMiddleware");
  });

  it("lets the limit through, then refuses with 429 and Retry-After", async () => {
    const { app } = appWith({ keyGenerator: byHeader });
    assert.deepEqual(await hit(app, LIMIT), Array(LIMIT).fill(200));
    const refused = await request(app).get("/").set("X-Key", "a").expect(429);
    assert.equal(refused.get("Retry-After"), String(Math.ceil(WINDOW_MS / 1000)));
    assert.deepEqual(refused.body, { name: "CheckExpressZodRateLimitError", message: "Too many requests, please try again later", retryAfter: Math.ceil(WINDOW_MS / 1000) });
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
    const draft7 = await request(appWith({ keyGenerator: byHeader, standardHeaders: "draft-7" }).app).get("/").set("X-Key", "a").expect(200);
    assert.equal(draft7.get("RateLimit"), `limit=${LIMIT}, remaining=${LIMIT - 1}, reset=${seconds}`);
    assert.equal(draft7.get("RateLimit-Policy"), `${LIMIT};w=${seconds}`);
    assert.equal(draft7.get("RateLimit-Limit"), undefined);
    const draft8 = await request(appWith({ keyGenerator: byHeader, standardHeaders: "draft-8" }).app).get("/").set("X-Key", "a").expect(200);
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
    assert.deepEqual(res.body.rateLimit, { limit: LIMIT, used: 1, remaining: LIMIT - 1, resetTime: new Date(clock.time + WINDOW_MS).toISOString(), key: "a" });
  });

  it("answers a refusal itself by default: 429, Retry-After and a small JSON body, no stack trace", async () => {
    const { app } = appWith({ keyGenerator: byHeader, handler: undefined });
    await hit(app, LIMIT);
    const refused = await request(app).get("/").set("X-Key", "a").expect(429);
    assert.equal(refused.get("Retry-After"), String(Math.ceil(WINDOW_MS / 1000)));
    assert.match(refused.get("Content-Type") ?? "", /^application\/json/);
    assert.deepEqual(refused.body, { error: "Too many requests, please try again later", retryAfter: Math.ceil(WINDOW_MS / 1000) });
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
    for (let index = 0; index < LIMIT + 2; index++) await request(app).get("/").set("X-Key", "a").set("X-Skip", "1").expect(200);
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
    const limiter = checkExpressZodRateLimit<Request>({ keyGenerator: byHeader, now: clock.now });
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
    const limiter = checkExpressZodRateLimit<Request>({ limit: 4, handler: "next" });
    const keys: string[] = [];
    const outcomes: string[] = [];
    const addresses = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:0db8:0001:0002:0:0:0:4", "2001:db8:1:2::5"];
    for (const ip of addresses) {
      const req = { ip, headers: {}, socket: {} } as unknown as Request;
      await new Promise<void>((resolve) =>
        limiter(req, { headersSent: false, setHeader: () => undefined } as unknown as ServerResponse, (error?: unknown) => {
          keys.push(req.rateLimit?.key ?? "");
          outcomes.push(error === undefined ? "ok" : "refused");
          resolve();
        }),
      );
    }
    assert.deepEqual(new Set(keys), new Set(["2001:db8:1:0:0:0:0:0/56"]));
    assert.equal(outcomes.filter((outcome) => outcome === "refused").length, 1);
    const alone = checkExpressZodRateLimit<Request>({ ipv6Subnet: 128 });
    const req = { ip: "2001:db8::1", headers: {}, socket: {} } as unknown as Request;
    await new Promise((resolve) => alone(req, { headersSent: false, setHeader: () => undefined } as unknown as ServerResponse, resolve));
    assert.equal(req.rateLimit?.key, "2001:db8:0:0:0:0:0:1/128");
  });

  it("keeps IPv4 addresses (mapped ones too) as they are", async () => {
    const limiter = checkExpressZodRateLimit<Request>();
    for (const [ip, key] of [
      ["203.0.113.9", "203.0.113.9"],
      ["::ffff:203.0.113.9", "203.0.113.9"],
    ]) {
      const req = { ip, headers: {}, socket: {} } as unknown as Request;
      await new Promise((resolve) => limiter(req, { headersSent: false, setHeader: () => undefined } as unknown as ServerResponse, resolve));
      assert.equal(req.rateLimit?.key, key);
    }
  });

  it("warns once when X-Forwarded-For arrives while Express's trust proxy is off", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const { app } = appWith();
    await request(app).get("/").set("X-Forwarded-For", "198.51.100.7").expect(200);
    await request(app).get("/").set("X-Forwarded-For", "198.51.100.8").expect(200);
    const proxyWarnings = warn.mock.calls.filter((call) => String(call.arguments[0]).includes("trust proxy"));
    assert.equal(proxyWarnings.length, 1);
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
    assert.throws(() => checkExpressZodRateLimit({ limit: 0 }), { name: "TypeError", message: 'check-express-zod-rate-limit: invalid option "limit": a positive integer, received 0' });
    assert.throws(() => checkExpressZodRateLimit({ windowMs: 1.5 }), {
      name: "TypeError",
      message: 'check-express-zod-rate-limit: invalid option "windowMs": a positive integer (milliseconds), received 1.5',
    });
  });

  it("store: counts through a store of your own, which may be async", async () => {
    const calls: Array<[string, number, number]> = [];
    const store: CheckExpressZodRateLimitStore = {
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
    const store = { increment: () => ({ hits: 1 }) } as unknown as CheckExpressZodRateLimitStore;
    const res = await request(appWith({ store }).app).get("/").expect(500);
    assert.equal(res.get("Retry-After"), undefined);
    assert.match(res.body.message, /the store's increment returned \{"hits":1\}/);
  });

  it("store: a failing store reaches the error handler", async () => {
    const store: CheckExpressZodRateLimitStore = {
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
    const middleware = checkExpressZodRateLimit({ store, now: clock.now, keyGenerator: (req) => req.url ?? "" });
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
    for (const time of [start + WINDOW_MS, start + 2 * WINDOW_MS, start + 5 * WINDOW_MS]) store.increment("late", WINDOW_MS, time);
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
    assert.deepEqual(store.increment("b", WINDOW_MS, start + WINDOW_MS), { count: 2, resetAt: start + 1.5 * WINDOW_MS });
    assert.deepEqual(store.increment("a", WINDOW_MS, start + WINDOW_MS), { count: 1, resetAt: start + 2 * WINDOW_MS });
    store.resetKey("b");
    assert.deepEqual(store.increment("b", WINDOW_MS, start + WINDOW_MS), { count: 1, resetAt: start + 2 * WINDOW_MS });
  });

  it("CheckExpressZodRateLimitError carries the status Express's default handler uses", async () => {
    const error = new CheckExpressZodRateLimitError(30);
    assert.deepEqual([error.status, error.statusCode, error.expose, error.retryAfter], [429, 429, true, 30]);
    const app = express();
    app.use(checkExpressZodRateLimit({ keyGenerator: () => "everyone", handler: "next" }));
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    for (let index = 0; index < LIMIT; index++) await request(app).get("/").expect(200);
    await request(app).get("/").expect(429);
  });

  it("says how to fix app.use(checkExpressZodRateLimit)", async () => {
    const res = await request(appWith({}, checkExpressZodRateLimit as unknown as Handler).app).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, /write app\.use\(checkExpressZodRateLimit\(\)\)/);
  });
});
