import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler } from "express";
import request from "supertest";
import checkExpressTypeboxRequestTimeDefault, { checkExpressTypeboxRequestTime, type CheckExpressTypeboxRequestTimeOptions } from "../src/index.js";

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

/** An app with the middleware, a route that takes `routeMs` on the clock and echoes `req.checkExpressTypeboxRequestTime`. */
function appWith(options?: CheckExpressTypeboxRequestTimeOptions, { clock = manualClock(), routeMs = 0, middleware = undefined as Handler | undefined } = {}) {
  const app = express();
  app.use(middleware ?? checkExpressTypeboxRequestTime({ now: clock.now, ...options }));
  app.get("/", (req, res) => {
    clock.time += routeMs;
    res.json({ receivedAt: req.checkExpressTypeboxRequestTime ?? null });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(500).json({ name: err instanceof Error ? err.name : null, message: err instanceof Error ? err.message : String(err) });
  };
  app.use(onError);
  return app;
}

describe("checkExpressTypeboxRequestTime", () => {
  it("is the default export too", () => {
    assert.equal(checkExpressTypeboxRequestTimeDefault, checkExpressTypeboxRequestTime);
  });

  it("returns a named middleware", () => {
    assert.equal(checkExpressTypeboxRequestTime().name, "checkExpressTypeboxRequestTimeMiddleware");
  });

  it("stamps each request with the time it arrived", async () => {
    const clock = manualClock();
    const res = await request(appWith(undefined, { clock })).get("/").expect(200);
    assert.equal(res.body.receivedAt, 1_700_000_000_000);
  });

  it("uses Date.now by default", async () => {
    const before = Date.now();
    const app = express();
    app.use(checkExpressTypeboxRequestTime());
    app.get("/", (req, res) => {
      res.json({ receivedAt: req.checkExpressTypeboxRequestTime });
    });
    const res = await request(app).get("/").expect(200);
    assert.ok(res.body.receivedAt >= before && res.body.receivedAt <= Date.now());
  });

  it("sends the time taken in the X-Response-Time header", async () => {
    const res = await request(appWith(undefined, { routeMs: 25 })).get("/").expect(200);
    assert.equal(res.get("X-Response-Time"), "25ms");
  });

  it("header: names the response header, also when the route calls writeHead itself", async () => {
    const clock = manualClock();
    const app = express();
    app.use(checkExpressTypeboxRequestTime({ header: "Server-Timing-Ms", now: clock.now }));
    app.get("/", (_req, res) => {
      clock.time += 7;
      res.writeHead(204, { "X-Other": "1" });
      res.end();
    });
    const res = await request(app).get("/").expect(204);
    assert.equal(res.get("Server-Timing-Ms"), "7ms");
    assert.equal(res.get("X-Other"), "1");
  });

  it("header: must be a valid header name", () => {
    assert.throws(() => checkExpressTypeboxRequestTime({ header: "not a header" }), {
      name: "TypeError",
      message: 'check-express-typebox-request-time: invalid option "header": a valid HTTP header name, received "not a header"',
    });
  });

  it("setHeader: false keeps the header off the response", async () => {
    const res = await request(appWith({ setHeader: false }, { routeMs: 5 })).get("/").expect(200);
    assert.equal(res.get("X-Response-Time"), undefined);
    assert.equal(typeof res.body.receivedAt, "number");
  });

  it("works on a bare http server, without Express", async () => {
    const middleware = checkExpressTypeboxRequestTime({ now: () => 42 });
    const server = createServer((req, res) => {
      middleware(req, res, () => res.end(String((req as express.Request).checkExpressTypeboxRequestTime)));
    });
    await request(server).get("/").expect(200, "42");
  });

  it("says how to fix app.use(checkExpressTypeboxRequestTime)", async () => {
    const res = await request(appWith(undefined, { middleware: checkExpressTypeboxRequestTime as unknown as Handler })).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, /write app\.use\(checkExpressTypeboxRequestTime\(\)\)/);
  });
});
