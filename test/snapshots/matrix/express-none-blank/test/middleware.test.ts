import assert from "node:assert/strict";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler } from "express";
import request from "supertest";
import checkExpressNoneBlankDefault, { checkExpressNoneBlank, type CheckExpressNoneBlankOptions } from "../src/index.js";

/** An app with the middleware, a route that says it was reached, and an error handler. */
function appWith(options?: CheckExpressNoneBlankOptions, middleware: Handler = checkExpressNoneBlank(options)) {
  const app = express();
  app.use(middleware);
  app.get("/", (_req, res) => {
    res.json({ reached: true });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(500).json({ name: err instanceof Error ? err.name : null, message: err instanceof Error ? err.message : String(err) });
  };
  app.use(onError);
  return app;
}

describe("checkExpressNoneBlank", () => {
  it("is the default export too", () => {
    assert.equal(checkExpressNoneBlankDefault, checkExpressNoneBlank);
  });

  it("returns a named middleware", () => {
    assert.equal(checkExpressNoneBlank().name, "checkExpressNoneBlankMiddleware");
  });

  it("passes requests on to the next handler", async () => {
    const res = await request(appWith()).get("/").expect(200);
    assert.deepEqual(res.body, { reached: true });
  });

  it("enabled: false passes requests on too", async () => {
    const res = await request(appWith({ enabled: false })).get("/").expect(200);
    assert.deepEqual(res.body, { reached: true });
  });

  it("says how to fix app.use(checkExpressNoneBlank)", async () => {
    const misuse = checkExpressNoneBlank as unknown as Handler;
    const res = await request(appWith(undefined, misuse)).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, /write app\.use\(checkExpressNoneBlank\(\)\)/);
  });
});
