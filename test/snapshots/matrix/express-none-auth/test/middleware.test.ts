import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler, type Request } from "express";
import request from "supertest";
import * as pkg from "../src/index.js";

const create = pkg.checkExpressNoneAuth;
type Options = pkg.CheckExpressNoneAuthOptions<Request>;
const AuthError = pkg.CheckExpressNoneAuthError;
const PACKAGE_NAME = "check-express-none-auth";
const HOW_TO_FIX = /write app\.use\(checkExpressNoneAuth\(\{ verify \}\)\)/;

const users = new Map([["valid-token", { name: "Ada" }]]);
const REALM = "api";

/**
 * An app with the middleware, a route that echoes `req.checkExpressNoneAuth` and an error handler that echoes
 * the error (reached with `handler: "next"`, or by a throw).
 */
function appWith(options?: Options, middleware: Handler = create<Request>(options) as Handler) {
  const app = express();
  app.use(middleware);
  app.get("/", (req, res) => {
    res.json({ user: req.checkExpressNoneAuth ?? null });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const error = err as Error & { status?: number; code?: string };
    res.status(error.status ?? 500).json({
      name: error.name,
      code: error.code ?? null,
      message: error.message,
      cause: error.cause instanceof Error ? error.cause.message : null,
    });
  };
  app.use(onError);
  return app;
}

const verify = async (token: string) => users.get(token);

describe("checkExpressNoneAuth", { timeout: 10_000 }, () => {
  it("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  it("returns a named middleware", () => {
    const name = "checkExpressNoneAuthMiddleware";
    assert.equal(create({ verify }).name, name);
  });

  it("accepts a verified token and stores verify's result on the request", async () => {
    const seen: string[] = [];
    const app = appWith({
      verify: async (token, req) => {
        seen.push(`${token} ${req.path}`);
        return users.get(token);
      },
    });
    const res = await request(app).get("/").set("Authorization", "Bearer valid-token").expect(200);
    assert.deepEqual(res.body, { user: { name: "Ada" } });
    assert.deepEqual(seen, ["valid-token /"]);
  });

  it("reads the scheme in any case", async () => {
    await request(appWith({ verify })).get("/").set("Authorization", "bearer valid-token").expect(200);
  });

  it("answers a request without a token itself: 401, a challenge and a small body, no stack trace", async () => {
    const app = appWith({ verify });
    const res = await request(app).get("/").expect(401);
    assert.equal(res.get("WWW-Authenticate"), `Bearer realm="${REALM}"`);
    assert.match(res.get("Content-Type") ?? "", /^application\/json/);
    assert.equal(res.get("Cache-Control"), "no-store");
    assert.deepEqual(res.body, { error: "Authentication required", code: "MISSING_TOKEN" });
  });

  it("treats another scheme as no bearer token", async () => {
    const app = appWith({ verify });
    const res = await request(app).get("/").set("Authorization", "Basic dXNlcjpwYXNz").expect(401);
    assert.equal(res.body.code, "MISSING_TOKEN");
  });

  it("reads exactly one token after the scheme: extra spaces are fine, more words or another prefix are no bearer token", async () => {
    const app = appWith({ verify });
    await request(app).get("/").set("Authorization", "Bearer   valid-token  ").expect(200);
    for (const header of ["Bearer valid-token extra", "XBearer valid-token", "Bearervalid-token"]) {
      const res = await request(app).get("/").set("Authorization", header).expect(401);
      assert.equal(res.body.code, "MISSING_TOKEN", header);
    }
  });

  it("CheckExpressNoneAuthError: the status, message and code of each refusal, meant for the client", () => {
    const expected = [
      ["MISSING_TOKEN", 401, "Authentication required"],
      ["INVALID_TOKEN", 401, "Invalid token"],
      ["UNAVAILABLE", 503, "Authentication is unavailable, please retry later"],
      ["VERIFY_TIMEOUT", 503, "Authentication is unavailable, please retry later"],
    ] as const;
    for (const [code, status, message] of expected) {
      const error = new AuthError(code);
      assert.deepEqual(
        {
          code: error.code,
          status: error.status,
          statusCode: error.statusCode,
          message: error.message,
          expose: error.expose,
        },
        { code, status, statusCode: status, message, expose: true },
      );
    }
  });

  it("refuses a token that verify rejects, saying the token is invalid", async () => {
    const app = appWith({ verify });
    const res = await request(app).get("/").set("Authorization", "Bearer unknown").expect(401);
    assert.equal(res.get("WWW-Authenticate"), `Bearer realm="${REALM}", error="invalid_token"`);
    assert.equal(res.body.code, "INVALID_TOKEN");
  });

  it("answers 401 invalid_token when verify throws or rejects (expired, forged, garbled), keeping the reason on the server", async () => {
    for (const failing of [
      () => {
        throw new Error("jwt expired");
      },
      async () => {
        throw new Error("jwt expired");
      },
    ]) {
      const app = appWith({ verify: failing, handler: "next" });
      const res = await request(app).get("/").set("Authorization", "Bearer x").expect(401);
      assert.equal(res.get("WWW-Authenticate"), `Bearer realm="${REALM}", error="invalid_token"`);
      assert.equal(res.body.code, "INVALID_TOKEN");
      assert.equal(res.body.cause, "jwt expired");
      assert.doesNotMatch(res.body.message, /expired/);
    }
  });

  it('answers 503 without a challenge only when verify signals an outage with CheckExpressNoneAuthError("UNAVAILABLE")', async () => {
    const down = async () => {
      throw new AuthError("UNAVAILABLE", undefined, { cause: new Error("key server down") });
    };
    const app = appWith({ verify: down, handler: "next" });
    const res = await request(app).get("/").set("Authorization", "Bearer x").expect(503);
    assert.equal(res.get("WWW-Authenticate"), undefined);
    assert.equal(res.body.code, "UNAVAILABLE");
    assert.equal(res.body.cause, "key server down");
  });

  it("passes a CheckExpressNoneAuthError from verify through as is", async () => {
    const app = appWith({
      verify: () => {
        throw new AuthError("INVALID_TOKEN", "Token expired");
      },
    });
    const res = await request(app).get("/").set("Authorization", "Bearer old").expect(401);
    assert.equal(res.body.error, "Token expired");
  });

  it('handler: "next" passes the refusal to the error handler', async () => {
    const app = appWith({ verify, handler: "next" });
    const res = await request(app).get("/").expect(401);
    assert.equal(res.get("WWW-Authenticate"), `Bearer realm="${REALM}"`);
    const name = "CheckExpressNoneAuthError";
    assert.deepEqual(res.body, { name, code: "MISSING_TOKEN", message: "Authentication required", cause: null });
  });

  it("handler: a function of yours answers, with the error", async () => {
    const app = appWith({
      verify,
      handler: (_req, res, _next, error) => {
        res.statusCode = error.status;
        res.end(`custom ${error.code}`);
      },
    });
    const res = await request(app).get("/").set("Authorization", "Bearer unknown").expect(401);
    assert.equal(res.text, "custom INVALID_TOKEN");
  });

  it("a handler that throws after verify goes to a warning, never an unhandled rejection", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const app = appWith({
        verify,
        handler: (_req, res) => {
          res.statusCode = 418;
          res.end();
          throw new Error("handler bug");
        },
      });
      await request(app).get("/").set("Authorization", "Bearer unknown").expect(418);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, ["handler bug"]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("timeout: refuses with 503 when verify never settles, at the deadline", async () => {
    const never = () => new Promise<never>(() => {});
    const started = Date.now();
    const app = appWith({ verify: never, timeout: 50 });
    const res = await request(app).get("/").set("Authorization", "Bearer x").expect(503);
    const took = Date.now() - started;
    assert.equal(res.body.code, "VERIFY_TIMEOUT");
    assert.ok(took >= 45, `not before the deadline (${took} ms)`);
    assert.ok(took < 2000, `not long after it (${took} ms)`);
  });

  it("timeout: a late answer after the deadline changes nothing, and calls next() no second time", async () => {
    let answer!: (user: unknown) => void;
    const late = () => new Promise((resolve) => (answer = resolve));
    let nextCalls = 0;
    const app = express();
    app.use(create<Request>({ verify: late, timeout: 20, handler: "next" }) as Handler);
    app.use(((err, _req, res, _next) => {
      nextCalls++;
      res.status(err.status).json({ code: err.code });
    }) as ErrorRequestHandler);
    app.use(() => nextCalls++);
    const res = await request(app).get("/").set("Authorization", "Bearer x").expect(503);
    answer({ name: "too late" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(res.body.code, "VERIFY_TIMEOUT");
    assert.equal(nextCalls, 1);
  });

  it("timeout: beyond the timer maximum is held to it, instead of firing at once", async () => {
    const slow = () => new Promise((resolve) => setTimeout(resolve, 30, { name: "Ada" }));
    const app = appWith({ verify: slow, timeout: 3e9 });
    await request(app).get("/").set("Authorization", "Bearer x").expect(200);
  });

  it("timeout: must be a positive number", () => {
    assert.throws(() => create({ verify, timeout: 0 }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "timeout": a positive number of milliseconds, received 0`,
    });
  });

  it("required: false lets a request without a token through, still checking one that is sent", async () => {
    const app = appWith({ verify, required: false });
    const anonymous = await request(app).get("/").expect(200);
    assert.deepEqual(anonymous.body, { user: null });
    await request(app).get("/").set("Authorization", "Bearer unknown").expect(401);
  });

  it("realm: is named in the challenge, quotes escaped", async () => {
    const app = appWith({ verify, realm: 'my "app"' });
    const res = await request(app).get("/").expect(401);
    assert.equal(res.get("WWW-Authenticate"), 'Bearer realm="my \\"app\\""');
  });

  it("realm: a value no header may carry (CR, LF, beyond Latin-1) is refused when the factory runs", () => {
    for (const realm of ["api\r\nSet-Cookie: a=b", "api\n", "\u0000", "app \u2603"]) {
      assert.throws(() => create({ verify, realm }), {
        name: "TypeError",
        message: `check-express-none-auth: invalid option "realm": text without control characters, in Latin-1, received ${JSON.stringify(realm)}`,
      });
    }
    assert.doesNotThrow(() => create({ verify, realm: "café api" }));
  });

  it("refuses every request when no verify is given", async () => {
    const res = await request(appWith()).get("/").set("Authorization", "Bearer valid-token").expect(401);
    assert.equal(res.body.code, "INVALID_TOKEN");
  });

  it("the deadline of a pending verify keeps no process alive", () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const before = timers();
    const req = new IncomingMessage(new Socket());
    req.headers.authorization = "Bearer pending";
    create({ verify: () => new Promise(() => {}) })(req, new ServerResponse(req), () => {});
    assert.equal(timers(), before);
  });

  it("clears the deadline once verify answers: no timer is left behind", async (t) => {
    // The deadline is unref'd, which getActiveResourcesInfo() does not list: count the clears instead.
    const set = t.mock.method(globalThis, "setTimeout");
    const cleared = t.mock.method(globalThis, "clearTimeout");
    for (const answer of [{ name: "Ada" }, false]) {
      const req = new IncomingMessage(new Socket());
      req.headers.authorization = "Bearer t";
      const middleware = create({ verify: async () => answer, handler: "next" });
      await new Promise((resolve) => middleware(req, new ServerResponse(req), resolve));
    }
    const timers = set.mock.calls.map((call) => call.result);
    assert.equal(timers.length, 2);
    assert.deepEqual(
      cleared.mock.calls.map((call) => call.arguments[0]),
      timers,
    );
  });

  it("says how to fix app.use(checkExpressNoneAuth)", async () => {
    const misuse = create as unknown as Handler;
    const res = await request(appWith(undefined, misuse)).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, HOW_TO_FIX);
  });
});

// Outside the suite above and its time limit: this test starts a Node.js process of its own.
describe("checkExpressNoneAuth without verify", () => {
  it("warns once per process when no verify is given, as every request will be refused", () => {
    // A process of its own: the warning is once per process, and this one's tests have created the middleware already.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkExpressNoneAuth } = await import(${JSON.stringify(source)});
      const warnings = [];
      process.on("warning", (warning) => warnings.push({ message: warning.message, code: warning.code }));
      checkExpressNoneAuth({ verify: () => true });
      await new Promise((resolve) => setImmediate(resolve));
      const withOne = warnings.length;
      checkExpressNoneAuth();
      checkExpressNoneAuth();
      setImmediate(() => console.log(JSON.stringify({ withOne, warnings })));
    `;
    const args = ["--import", "tsx", "--input-type=module", "--eval", script];
    const child = spawnSync(process.execPath, args, { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const NO_VERIFY = "CHECK_EXPRESS_NONE_AUTH_NO_VERIFY";
    assert.deepEqual(JSON.parse(child.stdout), {
      withOne: 0,
      warnings: [
        { message: `${PACKAGE_NAME}: no verify option was given, so every request is refused`, code: NO_VERIFY },
      ],
    });
  });
});
