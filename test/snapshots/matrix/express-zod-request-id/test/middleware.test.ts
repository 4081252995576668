import assert from "node:assert/strict";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler } from "express";
import request from "supertest";
import * as pkg from "../src/index.js";

const create = pkg.checkExpressZodRequestId;
const { currentRequestId } = pkg;
type Options = pkg.CheckExpressZodRequestIdOptions;
const PACKAGE_NAME = "check-express-zod-request-id";
const HOW_TO_FIX = /write app\.use\(checkExpressZodRequestId\(\)\)/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A request and its response that no socket carries: for calling the middleware directly. */
function bareRequest() {
  const req = new IncomingMessage(new Socket());
  return { req, res: new ServerResponse(req) };
}

/** An app with the middleware, a route that echoes `req.checkExpressZodRequestId` and an error handler. */
function appWith(options?: Options, middleware: Handler = create(options)) {
  const app = express();
  app.use(middleware);
  app.get("/", (req, res) => {
    const info = req.checkExpressZodRequestId ?? null;
    res.json({ info, query: req.query });
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
    assert.equal(pkg.default, create);
  });

  it("returns a named middleware", () => {
    const middleware = create();
    assert.equal(typeof middleware, "function");
    assert.equal(middleware.name, "checkExpressZodRequestIdMiddleware");
  });

  it("gives each request an id", async () => {
    const app = appWith();
    const first = await request(app).get("/?page=2").expect(200);
    assert.match(first.body.info.id, UUID);
    assert.equal(typeof first.body.info.receivedAt, "number");
    assert.deepEqual(first.body.query, { page: "2" });
    assert.equal(first.get("X-Request-Id"), first.body.info.id);
    const second = await request(app).get("/").expect(200);
    assert.notEqual(second.body.info.id, first.body.info.id);
  });

  it("header: names the response header", async () => {
    const app = appWith({ header: "X-Correlation-Id" });
    const res = await request(app).get("/").expect(200);
    assert.equal(res.get("X-Correlation-Id"), res.body.info.id);
    assert.equal(res.get("X-Request-Id"), undefined);
  });

  it("header: must be a valid header name", () => {
    assert.throws(() => create({ header: "not a header" }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "header": a valid HTTP header name, received "not a header"`,
    });
  });

  it("setHeader: false keeps the id off the response", async () => {
    const app = appWith({ setHeader: false });
    const res = await request(app).get("/").expect(200);
    assert.match(res.body.info.id, UUID);
    assert.equal(res.get("X-Request-Id"), undefined);
  });

  it("accepts the trustIncoming option", async () => {
    const app = appWith({ trustIncoming: true });
    const res = await request(app).get("/").expect(200);
    assert.match(res.body.info.id, UUID);
  });

  it("accepts the asyncContext option", async () => {
    const app = appWith({ asyncContext: true });
    const res = await request(app).get("/").expect(200);
    assert.match(res.body.info.id, UUID);
  });

  it("sends the id in X-Request-Id by default, the header proxies and tracing tools look for", async () => {
    const res = await request(appWith()).get("/").expect(200);
    assert.equal(res.get("X-Request-Id"), res.body.info.id);
  });

  it("trustIncoming: off by default, a client's own id is replaced", async () => {
    const res = await request(appWith()).get("/").set("X-Request-Id", "from-client").expect(200);
    assert.match(res.body.info.id, UUID);
  });

  it("trustIncoming: keeps a plain incoming id, and replaces one too long or with other characters", async () => {
    const app = appWith({ trustIncoming: true });
    const header = "X-Request-Id";
    const kept = await request(app).get("/").set(header, "edge-7f3a:42").expect(200);
    assert.equal(kept.body.info.id, "edge-7f3a:42");
    for (const hostile of ["a".repeat(129), "id with spaces", "id\u00e9", "<script>", 'a"b']) {
      const res = await request(app).get("/").set(header, hostile).expect(200);
      assert.match(res.body.info.id, UUID, `replaced: ${hostile.slice(0, 20)}`);
    }
    const longest = await request(app).get("/").set(header, "b".repeat(128)).expect(200);
    assert.equal(longest.body.info.id, "b".repeat(128));
  });

  it("generator: makes the ids", async () => {
    let counter = 0;
    const app = appWith({ generator: () => `req-${++counter}` });
    const res = await request(app).get("/").expect(200);
    assert.equal(res.body.info.id, "req-1");
  });

  it("generator: a value that is not a non-empty string reaches the error handler", async () => {
    const app = appWith({ generator: (() => 42) as unknown as () => string });
    const res = await request(app).get("/").expect(500);
    assert.match(res.body.message, /generator returned 42, not a non-empty string/);
  });

  it("generator: an empty id reaches the error handler", async () => {
    const app = appWith({ generator: () => "" });
    const res = await request(app).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, /generator returned "", not a non-empty string/);
  });

  it("currentRequestId: code deeper in the stack reads the id, across awaits, without req", async () => {
    const logged: Array<string | undefined> = [];
    // Stands in for a logger or a database wrapper that never sees req.
    const deepInTheStack = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logged.push(currentRequestId());
    };
    const app = express();
    app.use(create({ asyncContext: true, onRequest: () => deepInTheStack() }));
    app.get("/", async (req, res) => {
      await deepInTheStack();
      res.json({ id: req.checkExpressZodRequestId?.id });
    });
    const [first, second] = await Promise.all([request(app).get("/").expect(200), request(app).get("/").expect(200)]);
    assert.equal(logged.length, 4);
    assert.deepEqual(new Set(logged), new Set([first.body.id, second.body.id]));
    assert.equal(currentRequestId(), undefined);
  });

  it("currentRequestId: undefined without asyncContext, its default", async () => {
    const seen: Array<string | undefined> = [];
    const app = express();
    app.use(create({ onRequest: () => void seen.push(currentRequestId()) }));
    app.get("/", (req, res) => {
      seen.push(currentRequestId());
      res.json({ id: req.checkExpressZodRequestId?.id });
    });
    const res = await request(app).get("/").expect(200);
    assert.match(res.body.id, UUID);
    assert.deepEqual(seen, [undefined, undefined]);
  });

  it("currentRequestId: a second instance that skips the request leaves the first one's id in place", async () => {
    const app = express();
    app.use(create({ asyncContext: true }));
    app.use(create({ asyncContext: true, skip: () => true }));
    app.get("/", (req, res) => {
      const current = currentRequestId();
      res.json({ id: req.checkExpressZodRequestId?.id, current });
    });
    const res = await request(app).get("/").expect(200);
    assert.match(res.body.id, UUID);
    assert.equal(res.body.current, res.body.id);
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
    assert.equal(skipped.get("X-Request-Id"), undefined);
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

  it("skip: a synchronous answer keeps the middleware synchronous: next runs before it returns", () => {
    for (const options of [{}, { skip: () => true }, { skip: () => false }]) {
      const { req, res } = bareRequest();
      const calls: unknown[] = [];
      create(options)(req, res, (err) => {
        calls.push(err);
      });
      assert.deepEqual(calls, [undefined]);
    }
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

  it("onRequest: a value it returns that is not a promise is ignored", async () => {
    // From JavaScript, an arrow function returns what its expression gives: res.setHeader() returns res.
    const setsHeader = (_req: IncomingMessage, res: ServerResponse) => res.setHeader("X-Seen", "yes");
    const onRequest = setsHeader as unknown as Options["onRequest"];
    const app = appWith({ onRequest });
    const res = await request(app).get("/").expect(200);
    assert.equal(res.get("X-Seen"), "yes");
    assert.match(res.body.info.id, UUID);
  });

  it("onRequest: a falsy rejection becomes an Error whose cause is the reason", async () => {
    const { req, res } = bareRequest();
    const error = await new Promise((resolve) => create({ onRequest: () => Promise.reject(0) })(req, res, resolve));
    assert.ok(error instanceof Error);
    assert.equal(error.message, `${PACKAGE_NAME}: a hook failed with 0`);
    assert.equal(error.cause, 0);
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
    const misuse = create as unknown as Handler;
    const res = await request(appWith(undefined, misuse)).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, HOW_TO_FIX);
  });

  it("works on a bare http server, without Express", async () => {
    const middleware = create();
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
    assert.equal(res.get("X-Request-Id"), (info as { id: string }).id);
  });
});
