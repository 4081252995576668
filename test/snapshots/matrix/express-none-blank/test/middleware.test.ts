import assert from "node:assert/strict";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler } from "express";
import request from "supertest";
import * as pkg from "../src/index.js";

const create = pkg.checkExpressNoneBlank;
type Options = pkg.CheckExpressNoneBlankOptions;
const HOW_TO_FIX = /write app\.use\(checkExpressNoneBlank\(\)\)/;

/** An app with the middleware, a route that says it was reached, and an error handler. */
function appWith(options?: Options, middleware: Handler = create(options)) {
  const app = express();
  app.use(middleware);
  app.get("/", (_req, res) => {
    res.json({ reached: true });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const message = err instanceof Error ? err.message : String(err);
    res.status(500).json({ name: err instanceof Error ? err.name : null, message });
  };
  app.use(onError);
  return app;
}

describe("checkExpressNoneBlank", () => {
  it("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  it("returns a named middleware", () => {
    assert.equal(create().name, "checkExpressNoneBlankMiddleware");
  });

  it("passes requests on to the next handler", async () => {
    const res = await request(appWith()).get("/").expect(200);
    assert.deepEqual(res.body, { reached: true });
  });

  it("enabled: false passes requests on too", async () => {
    const app = appWith({ enabled: false });
    const res = await request(app).get("/").expect(200);
    assert.deepEqual(res.body, { reached: true });
  });

  it("says how to fix app.use(checkExpressNoneBlank)", async () => {
    const misuse = create as unknown as Handler;
    const res = await request(appWith(undefined, misuse)).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, HOW_TO_FIX);
  });
});
