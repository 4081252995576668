import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import express, { type ErrorRequestHandler, type Handler, type Request } from "express";
import express4 from "express4";
import request from "supertest";
import * as pkg from "../src/index.js";

const create = pkg.checkExpressJoiAsyncGuard;
type Options = pkg.CheckExpressJoiAsyncGuardOptions<Request>;
const GuardError = pkg.CheckExpressJoiAsyncGuardError;
const PACKAGE_NAME = "check-express-joi-async-guard";
const HOW_TO_FIX = /write app\.use\(checkExpressJoiAsyncGuard\(\{ validate \}\)\)/;

/** What the error handler saw. */
interface Seen {
  name: string | null;
  message: string;
  status: number | null;
  expose: boolean | null;
  cause: string | null;
}

const MESSAGE = "Forbidden";

const majors = [
  { name: "Express 5", createApp: express },
  { name: "Express 4", createApp: express4 },
];

for (const { name, createApp } of majors) {
  /**
   * An app with the guard, a route that says it was reached, and an error handler that echoes the error.
   * The guard passes refusals on (`handler: "next"`) unless `options.handler` says otherwise.
   */
  const appWith = (options?: Options, middleware?: Handler) => {
    const app = createApp();
    app.use(middleware ?? (create<Request>({ handler: "next", ...options }) as Handler));
    app.get("/", (_req, res) => {
      res.json({ reached: true });
    });
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      const error = err as Error & { status?: number; expose?: boolean };
      const seen: Seen = {
        name: err instanceof Error ? err.name : null,
        message: err instanceof Error ? err.message : String(err),
        status: error.status ?? null,
        expose: error.expose ?? null,
        cause: error.cause instanceof Error ? error.cause.message : null,
      };
      res.status(error.status ?? 500).json(seen);
    };
    app.use(onError);
    return app;
  };

  describe(`checkExpressJoiAsyncGuard on ${name}`, () => {
    it("lets a request through when validate resolves true, and gives it the request", async () => {
      const seenUrls: string[] = [];
      const app = appWith({
        validate: async (req) => {
          seenUrls.push(req.url);
          return true;
        },
      });
      const res = await request(app).get("/?token=1").expect(200);
      assert.deepEqual(res.body, { reached: true });
      assert.deepEqual(seenUrls, ["/?token=1"]);
    });

    it("accepts a synchronous validate", async () => {
      const app = appWith({ validate: () => true });
      await request(app).get("/").expect(200);
    });

    it("refuses with a 4xx error the client may see when validate resolves false", async () => {
      const app = appWith({ validate: async () => false });
      const res = await request(app).get("/").expect(403);
      assert.deepEqual(res.body, {
        name: "CheckExpressJoiAsyncGuardError",
        message: "Forbidden",
        status: 403,
        expose: true,
        cause: null,
      });
    });

    it("answers 500 when validate rejects: the check failed, the request was not judged; the reason stays on the server", async () => {
      const res = await request(
        appWith({
          validate: async () => {
            throw new Error("session store unreachable");
          },
        }),
      )
        .get("/")
        .expect(500);
      assert.deepEqual(res.body, {
        name: "CheckExpressJoiAsyncGuardError",
        message: "Internal Server Error",
        status: 500,
        expose: false,
        cause: "session store unreachable",
      });
    });

    it("answers 500 when validate throws synchronously", async () => {
      const res = await request(
        appWith({
          validate: () => {
            throw new Error("bad cookie");
          },
        }),
      )
        .get("/")
        .expect(500);
      assert.equal(res.body.cause, "bad cookie");
    });

    it("answers a refusal itself by default: the status and a small JSON body, no stack trace", async () => {
      const app = appWith({ validate: () => false, handler: undefined });
      const res = await request(app).get("/").expect(403);
      assert.match(res.get("Content-Type") ?? "", /^application\/json/);
      assert.equal(res.get("Cache-Control"), "no-store");
      assert.deepEqual(res.body, { error: "Forbidden" });
      const failed = await request(
        appWith({
          handler: undefined,
          validate: () => {
            throw new Error("secret internals");
          },
        }),
      )
        .get("/")
        .expect(500);
      assert.deepEqual(failed.body, { error: "Internal Server Error" });
    });

    it("handler: a throw from your handler is reported as a warning, not an unhandled rejection", async () => {
      const app = createApp();
      // The first warning with the handler's message: another test's may come in between.
      const warning = new Promise<Error>((resolve) => {
        const onWarning = (emitted: Error) => {
          if (emitted.message !== "handler bug") return;
          process.off("warning", onWarning);
          resolve(emitted);
        };
        process.on("warning", onWarning);
      });
      app.use(
        create({
          validate: () => false,
          handler: (_req, res) => {
            res.statusCode = 418;
            res.end();
            throw new Error("handler bug");
          },
        }),
      );
      await request(app).get("/").expect(418);
      assert.ok((await warning) instanceof Error);
    });

    it("handler: a function of yours answers, with the error", async () => {
      const app = appWith({
        validate: () => false,
        handler: (_req, res, _next, error) => {
          res.statusCode = error.status;
          res.end(`custom ${error.message}`);
        },
      });
      const res = await request(app).get("/").expect(403);
      assert.equal(res.text, `custom ${MESSAGE}`);
    });

    it("an API-key check written as in the README refuses everyone while API_KEY is unset", async () => {
      const apiKey: string | undefined = undefined;
      const validate = (req: Request) => apiKey !== undefined && apiKey !== "" && req.headers["x-api-key"] === apiKey;
      const app = appWith({ validate });
      await request(app).get("/").expect(403);
    });

    it("passes a CheckExpressJoiAsyncGuardError from validate through as is", async () => {
      const res = await request(
        appWith({
          validate: async () => {
            throw new GuardError(401, "Sign in first");
          },
        }),
      )
        .get("/")
        .expect(401);
      assert.equal(res.body.message, "Sign in first");
    });

    it("refuses anything but true: a validate that forgets to return fails closed", async () => {
      const forgetful = (async () => {}) as unknown as () => Promise<boolean>;
      const app = appWith({ validate: forgetful });
      await request(app).get("/").expect(403);
    });

    it("refuses every request when no validate is given", async () => {
      await request(appWith()).get("/").expect(403);
    });

    it("reaches the framework's own error handler with its status", async () => {
      const app = createApp();
      app.use(create({ validate: () => false, handler: "next" }));
      app.get("/", (_req, res) => {
        res.send("reached");
      });
      await request(app).get("/").expect(403);
    });

    it("status: sets the refusal's status", async () => {
      const app = appWith({ status: 401, validate: () => false });
      await request(app).get("/").expect(401);
    });

    it("message: sets the refusal's message", async () => {
      const app = appWith({ message: "Members only", validate: () => false });
      const res = await request(app).get("/");
      assert.equal(res.body.message, "Members only");
    });

    it("says how to fix app.use(checkExpressJoiAsyncGuard)", async () => {
      const misuse = create as unknown as Handler;
      const res = await request(appWith(undefined, misuse)).get("/").expect(500);
      assert.equal(res.body.name, "TypeError");
      assert.match(res.body.message, HOW_TO_FIX);
    });
  });
}

describe("checkExpressJoiAsyncGuard", () => {
  it("is the default export too", () => {
    assert.equal(pkg.default, create);
  });

  it("returns a named middleware", () => {
    const name = "checkExpressJoiAsyncGuardMiddleware";
    assert.equal(create({ validate: () => true }).name, name);
  });

  it("status: must be a 4xx code", () => {
    for (const status of [400, 499]) assert.doesNotThrow(() => create({ status, validate: () => true }));
    for (const status of [200, 399, 500, 404.5]) {
      assert.throws(() => create({ status }), {
        name: "TypeError",
        message: `check-express-joi-async-guard: invalid option "status": an HTTP 4xx status code, received ${status}`,
      });
    }
  });

  it("warns once per process when no validate is given, as every request will be refused", () => {
    // A process of its own: the warning is once per process, and this one's tests have created guards already.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkExpressJoiAsyncGuard } = await import(${JSON.stringify(source)});
      const warnings = [];
      process.on("warning", (warning) => warnings.push({ message: warning.message, code: warning.code }));
      checkExpressJoiAsyncGuard({ validate: () => true });
      await new Promise((resolve) => setImmediate(resolve));
      const withOne = warnings.length;
      checkExpressJoiAsyncGuard();
      checkExpressJoiAsyncGuard();
      setImmediate(() => console.log(JSON.stringify({ withOne, warnings })));
    `;
    const args = ["--import", "tsx", "--input-type=module", "--eval", script];
    const child = spawnSync(process.execPath, args, { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const NO_VALIDATE = "CHECK_EXPRESS_JOI_ASYNC_GUARD_NO_VALIDATE";
    assert.deepEqual(JSON.parse(child.stdout), {
      withOne: 0,
      warnings: [
        { message: `${PACKAGE_NAME}: no validate option was given, so every request is refused`, code: NO_VALIDATE },
      ],
    });
  });
});
