import assert from "node:assert/strict";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler, type Request } from "express";
import request from "supertest";
import checkExpressNoneAuthDefault, { checkExpressNoneAuth, CheckExpressNoneAuthError, type CheckExpressNoneAuthOptions } from "../src/index.js";

const users = new Map([["valid-token", { name: "Ada" }]]);
const REALM = "api";

/** An app with the middleware, a route that echoes `req.checkExpressNoneAuth` and an error handler that echoes the error. */
function appWith(options?: CheckExpressNoneAuthOptions<Request>, middleware: Handler = checkExpressNoneAuth<Request>(options) as Handler) {
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

describe("checkExpressNoneAuth", () => {
  it("is the default export too", () => {
    assert.equal(checkExpressNoneAuthDefault, checkExpressNoneAuth);
  });

  it("returns a named middleware", () => {
    assert.equal(checkExpressNoneAuth({ verify }).name, "checkExpressNoneAuthMiddleware");
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

  it("refuses a request without a token with 401 and a challenge", async () => {
    const res = await request(appWith({ verify })).get("/").expect(401);
    assert.equal(res.get("WWW-Authenticate"), `Bearer realm="${REALM}"`);
    assert.deepEqual(res.body, { name: "CheckExpressNoneAuthError", code: "MISSING_TOKEN", message: "Authentication required", cause: null });
  });

  it("treats another scheme as no bearer token", async () => {
    const res = await request(appWith({ verify })).get("/").set("Authorization", "Basic dXNlcjpwYXNz").expect(401);
    assert.equal(res.body.code, "MISSING_TOKEN");
  });

  it("refuses a token that verify rejects, saying the token is invalid", async () => {
    const res = await request(appWith({ verify })).get("/").set("Authorization", "Bearer unknown").expect(401);
    assert.equal(res.get("WWW-Authenticate"), `Bearer realm="${REALM}", error="invalid_token"`);
    assert.equal(res.body.code, "INVALID_TOKEN");
  });

  it("answers 503 when verify throws or rejects, keeping the reason on the server", async () => {
    for (const failing of [
      () => {
        throw new Error("database down");
      },
      async () => {
        throw new Error("database down");
      },
    ]) {
      const res = await request(appWith({ verify: failing })).get("/").set("Authorization", "Bearer x").expect(503);
      assert.equal(res.body.code, "VERIFY_FAILED");
      assert.equal(res.body.cause, "database down");
      assert.doesNotMatch(res.body.message, /database/);
    }
  });

  it("passes a CheckExpressNoneAuthError from verify through as is", async () => {
    const app = appWith({
      verify: () => {
        throw new CheckExpressNoneAuthError("INVALID_TOKEN", "Token expired");
      },
    });
    const res = await request(app).get("/").set("Authorization", "Bearer old").expect(401);
    assert.equal(res.body.message, "Token expired");
  });

  it("timeout: refuses with 503 when verify never settles", async () => {
    const never = () => new Promise<never>(() => {});
    const started = Date.now();
    const res = await request(appWith({ verify: never, timeout: 50 })).get("/").set("Authorization", "Bearer x").expect(503);
    assert.equal(res.body.code, "VERIFY_TIMEOUT");
    assert.ok(Date.now() - started >= 45, "not before the deadline");
  });

  it("timeout: a late answer after the deadline changes nothing", async () => {
    let answer!: (user: unknown) => void;
    const late = () => new Promise((resolve) => (answer = resolve));
    const res = await request(appWith({ verify: late, timeout: 20 })).get("/").set("Authorization", "Bearer x").expect(503);
    answer({ name: "too late" });
    assert.equal(res.body.code, "VERIFY_TIMEOUT");
  });

  it("timeout: must be a positive number", () => {
    assert.throws(() => checkExpressNoneAuth({ verify, timeout: 0 }), {
      name: "TypeError",
      message: 'check-express-none-auth: invalid option "timeout": a positive number of milliseconds, received 0',
    });
  });

  it("required: false lets a request without a token through, still checking one that is sent", async () => {
    const app = appWith({ verify, required: false });
    const anonymous = await request(app).get("/").expect(200);
    assert.deepEqual(anonymous.body, { user: null });
    await request(app).get("/").set("Authorization", "Bearer unknown").expect(401);
  });

  it("realm: is named in the challenge, quotes escaped", async () => {
    const res = await request(appWith({ verify, realm: 'my "app"' })).get("/").expect(401);
    assert.equal(res.get("WWW-Authenticate"), 'Bearer realm="my \\"app\\""');
  });

  it("refuses every request when no verify is given", async () => {
    const res = await request(appWith()).get("/").set("Authorization", "Bearer valid-token").expect(401);
    assert.equal(res.body.code, "INVALID_TOKEN");
  });

  it("says how to fix app.use(checkExpressNoneAuth)", async () => {
    const res = await request(appWith(undefined, checkExpressNoneAuth as unknown as Handler)).get("/").expect(500);
    assert.equal(res.body.name, "TypeError");
    assert.match(res.body.message, /write app\.use\(checkExpressNoneAuth\(\{ verify \}\)\)/);
  });
});
