import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler } from "express";
import request from "supertest";
import checkExpressZodRequestIdDefault, { checkExpressZodRequestId, type CheckExpressZodRequestIdOptions } from "../src/index.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An app with the middleware, a route that echoes `req.checkExpressZodRequestId` and an error handler. */
function appWith(options?: CheckExpressZodRequestIdOptions, middleware: Handler = checkExpressZodRequestId(options)) {
  const app = express();
  app.use(middleware);
  app.get("/", (req, res) => {
    res.json({ info: req.checkExpressZodRequestId ?? null, query: req.query });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(500).json({
      isError: err instanceof Error,
      name: err instanceof Error ? err.name : null,
      message: err instanceof Error ? err.message : String(err),
    });
  };
  app.use(onError);
  return app;
}

describe("checkExpressZodRequestId", () => {
  it("is the default export too", () => {
    assert.equal(checkExpressZodRequestIdDefault, checkExpressZodRequestId);
  });

  it("returns a named middleware", () => {
    const middleware = checkExpressZodRequestId();
    assert.equal(typeof middleware, "function");
    assert.equal(middleware.name, "checkExpressZodRequestIdMiddleware");
  });

  it("gives each request an id", async () => {
    const app = appWith();
    const first = await request(app).get("/?page=2").expect(200);
    assert.match(first.body.info.id, UUID);
    assert.equal(typeof first.body.info.receivedAt, "number");
    assert.deepEqual(first.body.query, { page: "2" });
    assert.equal(first.get("X-Check-Express-Zod-Request-Id"), first.body.info.id);
    const second = await request(app).get("/").expect(200);
    assert.notEqual(second.body.info.id, first.body.info.id);
  });

  it("header: names the response header", async () => {
    const res = await request(appWith({ header: "X-Request-Id" })).get("/").expect(200);
    assert.equal(res.get("X-Request-Id"), res.body.info.id);
    assert.equal(res.get("X-Check-Express-Zod-Request-Id"), undefined);
  });

  it("header: must be a valid header name", () => {
    assert.throws(() => checkExpressZodRequestId({ header: "not a header" }), {
      name: "TypeError",
      message: 'check-express-zod-request-id: invalid option "header": a valid HTTP header name, received "not a header"',
    });
  });

  it("setHeader: false keeps the id off the response", async () => {
    const res = await request(appWith({ setHeader: false })).get("/").expect(200);
    assert.match(res.body.info.id, UUID);
    assert.equal(res.get("X-Check-Express-Zod-Request-Id"), undefined);
  });

  it("skip: lets a request through untouched", async () => {
    const seen: string[] = [];
    const app = appWith({
      skip: (req) => {
        seen.push(req.url ?? "");
        return req.url === "/?skip";
      },
    });
    const skipped = await request(app).get("/?skip").expect(200);
    assert.equal(skipped.body.info, null);
    assert.equal(skipped.get("X-Check-Express-Zod-Request-Id"), undefined);
    const kept = await request(app).get("/").expect(200);
    assert.match(kept.body.info.id, UUID);
    assert.deepEqual(seen, ["/?skip", "/"]);
  });

  it("skip: an async skip is waited for, not taken as true", async () => {
    const app = appWith({
      skip: async (req) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return req.url === "/?skip";
      },
    });
    const skipped = await request(app).get("/?skip").expect(200);
    assert.equal(skipped.body.info, null);
    const kept = await request(app).get("/").expect(200);
    assert.match(kept.body.info.id, UUID);
  });

  it("skip: a rejection reaches the error handler", async () => {
    const app = appWith({ skip: () => Promise.reject(new Error("no answer")) });
    const res = await request(app).get("/").expect(500);
    assert.equal(res.body.message, "no answer");
  });

  it("skip: a throw reaches the error handler", async () => {
    const app = appWith({
      skip: () => {
        throw new Error("cannot decide");
      },
    });
    const res = await request(app).get("/").expect(500);
    assert.equal(res.body.message, "cannot decide");
  });

  it("onRequest: runs after the id is assigned, and is awaited", async () => {
    let seenId: string | undefined;
    const app = appWith({
      onRequest: async (req) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        seenId = (req as express.Request).checkExpressZodRequestId?.id;
      },
    });
    const res = await request(app).get("/").expect(200);
    assert.equal(seenId, res.body.info.id);
  });

  it("onRequest: a rejection reaches the error handler", async () => {
    const app = appWith({
      onRequest: async () => {
        throw new Error("no entry");
      },
    });
    const res = await request(app).get("/").expect(500);
    assert.deepEqual(res.body, { isError: true, name: "Error", message: "no entry" });
  });

  it("onRequest: a synchronous throw reaches the error handler", async () => {
    const app = appWith({
      onRequest: () => {
        throw new RangeError("out of range");
      },
    });
    const res = await request(app).get("/").expect(500);
    assert.deepEqual(res.body, { isError: true, name: "RangeError", message: "out of range" });
  });

  it("onRequest: a rejection without a reason still becomes an Error", async () => {
    const app = appWith({ onRequest: () => Promise.reject(undefined) });
    const res = await request(app).get("/").expect(500);
    assert.deepEqual(res.body, {
      isError: true,
      name: "Error",
      message: "check-express-zod-request-id: a hook failed with undefined",
    });
  });

  it("says how to fix app.use(checkExpressZodRequestId)", async () => {
    const misuse = checkExpressZodRequestId as unknown as Handler;
    const res = await request(appWith(undefined, misuse)).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, /write app\.use\(checkExpressZodRequestId\(\)\)/);
  });

  it("works on a bare http server, without Express", async () => {
    const middleware = checkExpressZodRequestId();
    let info: unknown;
    const server = createServer((req, res) => {
      middleware(req, res, (err) => {
        info = (req as express.Request).checkExpressZodRequestId;
        res.statusCode = err ? 500 : 200;
        res.end(err ? "error" : "ok");
      });
    });
    const res = await request(server).get("/").expect(200, "ok");
    assert.match((info as { id: string }).id, UUID);
    assert.equal(res.get("X-Check-Express-Zod-Request-Id"), (info as { id: string }).id);
  });
});
