import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler } from "express";
import request from "supertest";
import * as pkg from "../src/index.js";

const create = pkg.checkExpressTypeboxRequestTime;
type Options = pkg.CheckExpressTypeboxRequestTimeOptions;
const PACKAGE_NAME = "check-express-typebox-request-time";
const HOW_TO_FIX = /write app\.use\(checkExpressTypeboxRequestTime\(\)\)/;

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

/** An app with the middleware, a route that takes `routeMs` on the clock and echoes `req.checkExpressTypeboxRequestTime`. */
type Setup = { clock?: ReturnType<typeof manualClock>; routeMs?: number; middleware?: Handler };
function appWith(options?: Options, { clock = manualClock(), routeMs = 0, middleware }: Setup = {}) {
  const app = express();
  app.use(middleware ?? create({ now: clock.now, ...options }));
  app.get("/", (req, res) => {
    clock.time += routeMs;
    res.json({ receivedAt: req.checkExpressTypeboxRequestTime ?? null });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const message = err instanceof Error ? err.message : String(err);
    res.status(500).json({ name: err instanceof Error ? err.name : null, message });
  };
  app.use(onError);
  return app;
}

describe("checkExpressTypeboxRequestTime", () => {
  it("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  it("returns a named middleware", () => {
    assert.equal(create().name, "checkExpressTypeboxRequestTimeMiddleware");
  });

  it("stamps each request with the time it arrived", async () => {
    const clock = manualClock();
    const app = appWith(undefined, { clock });
    const res = await request(app).get("/").expect(200);
    assert.equal(res.body.receivedAt, 1_700_000_000_000);
  });

  it("uses Date.now by default", async () => {
    const before = Date.now();
    const app = express();
    app.use(create());
    app.get("/", (req, res) => {
      res.json({ receivedAt: req.checkExpressTypeboxRequestTime });
    });
    const res = await request(app).get("/").expect(200);
    assert.ok(res.body.receivedAt >= before && res.body.receivedAt <= Date.now());
  });

  it("sends the time taken in the X-Response-Time header", async () => {
    const app = appWith(undefined, { routeMs: 25 });
    const res = await request(app).get("/").expect(200);
    assert.equal(res.get("X-Response-Time"), "25ms");
  });

  it("header: names the response header, also when the route calls writeHead itself", async () => {
    const clock = manualClock();
    const app = express();
    app.use(create({ header: "Server-Timing-Ms", now: clock.now }));
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
    assert.throws(() => create({ header: "not a header" }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "header": a valid HTTP header name, received "not a header"`,
    });
  });

  it("setHeader: false keeps the header off the response", async () => {
    const app = appWith({ setHeader: false }, { routeMs: 5 });
    const res = await request(app).get("/").expect(200);
    assert.equal(res.get("X-Response-Time"), undefined);
    assert.equal(typeof res.body.receivedAt, "number");
  });

  it("works on a bare http server, without Express", async () => {
    const middleware = create({ now: () => 42 });
    const server = createServer((req, res) => {
      const stamped = req as express.Request;
      middleware(req, res, () => {
        res.end(String(stamped.checkExpressTypeboxRequestTime));
      });
    });
    await request(server).get("/").expect(200, "42");
  });

  it("says how to fix app.use(checkExpressTypeboxRequestTime)", async () => {
    const app = appWith(undefined, { middleware: create as unknown as Handler });
    const res = await request(app).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, HOW_TO_FIX);
  });
});
