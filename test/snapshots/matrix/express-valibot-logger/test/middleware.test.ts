import assert from "node:assert/strict";
import { once } from "node:events";
import { IncomingMessage, request as httpRequest, type Server, ServerResponse } from "node:http";
import { type AddressInfo, Socket } from "node:net";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler } from "express";
import request from "supertest";
import * as pkg from "../src/index.js";

const create = pkg.checkExpressValibotLogger;
const { formatText } = pkg;
type Options = pkg.CheckExpressValibotLoggerOptions;
type LogEntry = pkg.CheckExpressValibotLoggerLogEntry;
const HOW_TO_FIX = /write app\.use\(checkExpressValibotLogger\(\)\)/;

/** An app with the middleware, a few routes and an error handler; `lines` receives what it logs. */
function appWith(options: Options = {}, middleware?: Handler) {
  const lines: Array<{ line: string; entry: LogEntry }> = [];
  const logged = (count: number) =>
    new Promise<void>((resolve) => {
      const poll = () => (lines.length >= count ? resolve() : setImmediate(poll));
      poll();
    });
  const app = express();
  app.use(middleware ?? create({ log: (line, entry) => lines.push({ line, entry }), ...options }));
  app.get("/", (_req, res) => {
    res.json({ hello: "world" });
  });
  app.get("/fail", () => {
    throw new Error("broken");
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const message = err instanceof Error ? err.message : String(err);
    res.status(500).json({ name: err instanceof Error ? err.name : null, message });
  };
  app.use(onError);
  return { app, lines, logged };
}

describe("checkExpressValibotLogger", () => {
  it("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  it("returns a named middleware", () => {
    assert.equal(create().name, "checkExpressValibotLoggerMiddleware");
  });

  it("logs one line per request: method, url, status and duration", async () => {
    const { app, lines, logged } = appWith();
    await request(app).get("/?page=2").expect(200);
    await request(app).post("/missing").expect(404);
    await logged(2);
    assert.equal(lines.length, 2);
    const [first, second] = lines;
    const stable = { durationMs: 0, time: "", remoteAddress: "" };
    assert.deepEqual(
      { ...first?.entry, ...stable },
      { ...stable, requestId: null, method: "GET", url: "/?page=2", status: 200, aborted: false },
    );
    assert.ok((first?.entry.durationMs ?? -1) >= 0);
    assert.match(first?.entry.remoteAddress ?? "", /127\.0\.0\.1|::1/);
    const loggedAt = Date.parse(first?.entry.time ?? "");
    assert.ok(Math.abs(Date.now() - loggedAt) < 60_000, `a current ISO timestamp: ${first?.entry.time}`);
    assert.match(first?.line ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ GET \/\?page=2 200 \d+\.\d ms$/);
    assert.match(second?.line ?? "", / POST \/missing 404 \d+\.\d ms$/);
  });

  it("logs the request id another middleware set (req.id or the X-Request-Id response header)", async () => {
    const lines: LogEntry[] = [];
    const app = express();
    app.use((req, res, next) => {
      if (req.path === "/header") res.setHeader("X-Request-Id", "from-header");
      else (req as express.Request & { id?: string }).id = "from-req";
      next();
    });
    app.use(create({ log: (_line, entry) => lines.push(entry) }));
    app.get(["/", "/header"], (_req, res) => {
      res.send("ok");
    });
    await request(app).get("/").expect(200);
    await request(app).get("/header").expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      lines.map((entry) => entry.requestId),
      ["from-req", "from-header"],
    );
    assert.match(formatText({ ...(lines[0] as LogEntry), durationMs: 1 }), / GET \/ 200 1\.0 ms \[from-req\]$/);
  });

  it("logs a numeric req.id (pino-http's default ids are numbers) as its digits", async () => {
    const lines: LogEntry[] = [];
    const app = express();
    app.use((req, _res, next) => {
      (req as express.Request & { id?: number }).id = 7;
      next();
    });
    app.use(create({ log: (_line, entry) => lines.push(entry) }));
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    await request(app).get("/").expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines[0]?.requestId, "7");
  });

  it("log: by default, each line goes to stdout", async (t) => {
    const written: string[] = [];
    const write = process.stdout.write;
    // Only this test's line is kept from stdout; anything else (the test reporter's output) passes through.
    t.mock.method(process.stdout, "write", function (this: typeof process.stdout, chunk: unknown, ...rest: unknown[]) {
      if (String(chunk).includes("GET /to-stdout ")) {
        written.push(String(chunk));
        return true;
      }
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    });
    const app = express();
    app.use(create());
    app.get("/to-stdout", (_req, res) => {
      res.send("ok");
    });
    await request(app).get("/to-stdout").expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(written.length, 1);
    assert.match(written[0] ?? "", / GET \/to-stdout 200 \d+\.\d ms\n$/);
  });

  it("log: a logger with an info method (pino's shape) gets the entry and the line", async () => {
    const calls: Array<[LogEntry, string]> = [];
    const logger = { info: (entry: LogEntry, line: string) => calls.push([entry, line]) };
    const app = express();
    app.use(create({ log: logger }));
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    await request(app).get("/").expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.[0].url, "/");
    assert.equal(calls[0]?.[1], formatText(calls[0]?.[0] as LogEntry));
  });

  it("logs the client's address as Express sees it (req.ip, behind a trusted proxy too)", async () => {
    const { app, lines, logged } = appWith();
    app.set("trust proxy", true);
    await request(app).get("/").set("X-Forwarded-For", "203.0.113.7").expect(200);
    await logged(1);
    assert.equal(lines[0]?.entry.remoteAddress, "203.0.113.7");
  });

  it("durationMs: the time from the request to the response, within what the client waited", async () => {
    const { app, lines, logged } = appWith();
    const before = performance.now();
    await request(app).get("/").expect(200);
    const waited = performance.now() - before;
    await logged(1);
    const duration = lines[0]?.entry.durationMs ?? -1;
    assert.ok(duration >= 0 && duration <= waited, `${duration} ms, the client waited ${waited} ms`);
  });

  it("logs as the response closes, synchronously when skip answers with a boolean", () => {
    for (const options of [{}, { skip: () => false }]) {
      const entries: LogEntry[] = [];
      const req = new IncomingMessage(new Socket());
      const res = new ServerResponse(req);
      create({ log: (_line, entry) => entries.push(entry), ...options })(req, res, () => {});
      res.emit("close");
      assert.equal(entries.length, 1);
      assert.deepEqual({ status: entries[0]?.status, aborted: entries[0]?.aborted }, { status: null, aborted: true });
    }
  });

  it("logs the status the error handler sent", async () => {
    const { app, lines, logged } = appWith();
    await request(app).get("/fail").expect(500);
    await logged(1);
    assert.equal(lines[0]?.entry.status, 500);
  });

  it("logs the URL the client sent, not the one a router rewrote", async () => {
    const lines: string[] = [];
    const app = express();
    const router = express.Router();
    router.get("/profile", (_req, res) => {
      res.send("ok");
    });
    app.use(create({ log: (line) => lines.push(line) }));
    app.use("/users", router);
    await request(app).get("/users/profile").expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(lines[0] ?? "", / GET \/users\/profile 200 /);
  });

  it("logs the whole URL when it is mounted under a path", async () => {
    const lines: string[] = [];
    const app = express();
    app.use("/api", create({ log: (line) => lines.push(line) }));
    app.get("/api/items", (_req, res) => {
      res.send("ok");
    });
    await request(app).get("/api/items").expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(lines[0] ?? "", / GET \/api\/items 200 /);
  });

  it('format: "json" logs one JSON object per line', async () => {
    const { app, lines, logged } = appWith({ format: "json" });
    await request(app).get("/").expect(200);
    await logged(1);
    const parsed = JSON.parse(lines[0]?.line ?? "") as LogEntry;
    assert.equal(parsed.method, "GET");
    assert.equal(parsed.status, 200);
    assert.equal(parsed.aborted, false);
    assert.equal(typeof parsed.time, "string");
    assert.ok(Number.isFinite(Date.parse(parsed.time)), "the JSON line has a timestamp");
  });

  it("logs an aborted request once, without a status when none was sent", async () => {
    const lines: LogEntry[] = [];
    let reached!: () => void;
    const routeReached = new Promise<void>((resolve) => (reached = resolve));
    const app = express();
    app.use(create({ log: (_line, entry) => lines.push(entry) }));
    app.get("/slow", () => {
      reached(); // and never answer: the client gives up first
    });
    const server: Server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const client = httpRequest({ host: "127.0.0.1", port, path: "/slow" });
      client.on("error", () => {}); // the abort below
      client.end();
      await routeReached;
      client.destroy();
      while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [entry] = lines;
      assert.equal(lines.length, 1);
      assert.ok(entry);
      assert.deepEqual(
        { ...entry, durationMs: 0, time: "" },
        {
          time: "",
          remoteAddress: entry.remoteAddress,
          requestId: null,
          method: "GET",
          url: "/slow",
          status: null,
          durationMs: 0,
          aborted: true,
        },
      );
      const text = formatText({ ...entry, durationMs: 1, time: "T", remoteAddress: null });
      assert.equal(text, "T - GET /slow - 1.0 ms (aborted)");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("skip: sees the finished response and leaves requests out", async () => {
    const { app, lines, logged } = appWith({ skip: (_req, res) => res.statusCode < 400 });
    await request(app).get("/").expect(200);
    await request(app).get("/missing").expect(404);
    await logged(1);
    assert.deepEqual(
      lines.map(({ entry }) => entry.status),
      [404],
    );
  });

  it("skip: an async skip is waited for, not taken as true", async () => {
    const { app, lines, logged } = appWith({
      skip: async (_req, res) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return res.statusCode < 400;
      },
    });
    await request(app).get("/").expect(200);
    await request(app).get("/missing").expect(404);
    await logged(1);
    assert.deepEqual(
      lines.map(({ entry }) => entry.status),
      [404],
    );
  });

  it("a throwing log hook is reported as a warning, not a crash", async () => {
    const { app } = appWith({
      log: () => {
        throw new Error("disk full");
      },
    });
    const warning = once(process, "warning") as Promise<[Error & { code?: string }]>;
    await request(app).get("/").expect(200);
    const [emitted] = await warning;
    const packageName = "check-express-valibot-logger";
    assert.equal(emitted.message, `${packageName}: the log or skip option threw: disk full`);
    assert.equal(emitted.code, "CHECK_EXPRESS_VALIBOT_LOGGER_LOG_FAILED");
  });

  it("says how to fix app.use(checkExpressValibotLogger)", async () => {
    const { app } = appWith({}, create as unknown as Handler);
    const res = await request(app).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, HOW_TO_FIX);
  });
});
