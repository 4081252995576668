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

/** An app with the limiter (on the test's clock), a route, and an error handler that echoes the error. */
function appWith(options: CheckExpressZodRateLimitOptions<Request> = {}, middleware?: Handler) {
  const clock = manualClock();
  const app = express();
  app.use(middleware ?? (checkExpressZodRateLimit<Request>({ now: clock.now, ...options }) as Handler));
  app.get("/", (_req, res) => {
    res.json({ reached: true });
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
    await hit(app, LIMIT, "a");
    await request(app).get("/").set("X-Key", "b").expect(429);
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

  it("store: a failing store reaches the error handler", async () => {
    const store: CheckExpressZodRateLimitStore = {
      increment: async () => {
        throw new Error("redis down");
      },
    };
    const res = await request(appWith({ store }).app).get("/").expect(500);
    assert.equal(res.body.message, "redis down");
  });

  it("leaves no timer running, and the memory store forgets ended windows", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const before = timers();
    const clock = manualClock();
    const store = new MemoryStore();
    const middleware = checkExpressZodRateLimit({ store, now: clock.now, keyGenerator: (req) => req.url ?? "" });
    const res = { headersSent: false, setHeader: () => res } as unknown as ServerResponse;
    const run = (url: string) => new Promise((resolve) => middleware({ url } as IncomingMessage, res, resolve));
    for (const url of ["/a", "/b", "/c"]) await run(url);
    assert.equal(store.size, 3);
    assert.equal(timers(), before);
    clock.time += WINDOW_MS;
    await run("/d");
    assert.equal(store.size, 1);
  });

  it("CheckExpressZodRateLimitError carries the status Express's default handler uses", async () => {
    const error = new CheckExpressZodRateLimitError(30);
    assert.deepEqual([error.status, error.statusCode, error.expose, error.retryAfter], [429, 429, true, 30]);
    const app = express();
    app.use(checkExpressZodRateLimit({ keyGenerator: () => "everyone" }));
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
