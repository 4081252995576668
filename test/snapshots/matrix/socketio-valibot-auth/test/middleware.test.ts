import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Server } from "socket.io";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import * as pkg from "../src/index.js";

const create = pkg.checkSocketioValibotAuth;
const AuthError = pkg.CheckSocketioValibotAuthError;
const isAuthError = pkg.isCheckSocketioValibotAuthError;
const PACKAGE_NAME = "check-socketio-valibot-auth";
const HOW_TO_FIX = /write io\.use\(checkSocketioValibotAuth\(\)\)/;

interface User {
  name: string;
}

const users = new Map<string, User>([["valid-token", { name: "Ada" }]]);

let io: Server;
let url: string;
const clients: ClientSocket[] = [];

before(async () => {
  const httpServer = createServer();
  io = new Server(httpServer);

  io.use(
    create({
      verify: async (token) => {
        if (token === "reject") throw new Error("jwt expired");
        if (token === "down") {
          const cause = new Error("ECONNREFUSED");
          throw new AuthError("UNAVAILABLE", `${PACKAGE_NAME}: the key server is down`, { cause });
        }
        if (token === "expired") throw new AuthError("INVALID_CREDENTIAL", `${PACKAGE_NAME}: the token expired`);
        return users.get(token);
      },
    }),
  );
  io.of("/sync-throw").use(
    create({
      verify: () => {
        throw new Error("boom");
      },
    }),
  );
  io.of("/admin").use(create({ authField: "apiKey", verify: (key) => key === "admin-key" && { role: "admin" } }));
  io.of("/optional").use(create({ required: false }));
  io.of("/misuse").use(create as never);
  // A verify that never answers: the deadline refuses the connection.
  io.of("/hanging").use(create({ timeout: 100, verify: () => new Promise(() => {}) }));
  io.of("/unconfigured").use(create());

  for (const namespace of ["/", "/sync-throw", "/admin", "/optional", "/unconfigured"]) {
    io.of(namespace).on("connection", (socket) => {
      socket.on("whoami", (reply: (data: unknown) => void) => {
        reply(socket.data.checkSocketioValibotAuth ?? null);
      });
    });
  }

  httpServer.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

after(async () => {
  for (const client of clients) client.close();
  await io.close();
});

type Transport = "websocket" | "polling";

/** Connects a client; resolves with it once connected, or with the `connect_error` error. */
async function connect(
  namespace: string,
  auth: Record<string, unknown>,
  transport: Transport,
): Promise<{ client: ClientSocket; error?: Error }> {
  const client = connectClient(url + namespace, { auth, transports: [transport], reconnection: false, forceNew: true });
  clients.push(client);
  return new Promise((resolve) => {
    client.once("connect", () => resolve({ client }));
    client.once("connect_error", (error) => {
      client.close();
      resolve({ client, error });
    });
  });
}

for (const transport of ["websocket", "polling"] as const) {
  describe(`checkSocketioValibotAuth over ${transport}`, () => {
    test("accepts a verified credential and stores the result on socket.data", async () => {
      const { client, error } = await connect("/", { token: "valid-token" }, transport);
      assert.equal(error, undefined);
      assert.deepEqual(await client.emitWithAck("whoami"), { name: "Ada" });
      client.close();
    });

    test("refuses a connection without a credential", async () => {
      const { error } = await connect("/", {}, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.message, `${PACKAGE_NAME}: no credential in handshake auth "token"`);
      assert.deepEqual(error.data, { code: "MISSING_CREDENTIAL", message: "Please sign in and retry" });
    });

    test("refuses a credential that verify rejects with a falsy value", async () => {
      const { error } = await connect("/", { token: "unknown" }, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.message, `${PACKAGE_NAME}: the credential was rejected`);
      assert.deepEqual(error.data, { code: "INVALID_CREDENTIAL", message: "Please sign in again" });
    });

    test("refuses a credential that is not a string", async () => {
      const { error } = await connect("/", { token: 42 }, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.data.code, "INVALID_CREDENTIAL");
    });

    test("refuses as an invalid credential when verify rejects (expired, forged), without sending the cause to the client", async () => {
      const { error } = await connect("/", { token: "reject" }, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.message, `${PACKAGE_NAME}: the credential was rejected`);
      assert.deepEqual(error.data, { code: "INVALID_CREDENTIAL", message: "Please sign in again" });
    });

    test("refuses as an invalid credential when verify throws synchronously", async () => {
      const { error } = await connect("/sync-throw", { token: "any" }, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.data.code, "INVALID_CREDENTIAL");
    });

    test('tells the client to retry later only when verify signals an outage with CheckSocketioValibotAuthError("UNAVAILABLE")', async () => {
      const { error } = await connect("/", { token: "down" }, transport);
      assert.ok(isAuthError(error));
      assert.deepEqual(error.data, { code: "UNAVAILABLE", message: "Please retry later" });
    });

    test("passes a CheckSocketioValibotAuthError thrown by verify through as is", async () => {
      const { error } = await connect("/", { token: "expired" }, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.message, `${PACKAGE_NAME}: the token expired`);
      assert.deepEqual(error.data, { code: "INVALID_CREDENTIAL", message: "Please sign in again" });
    });

    test("works on a namespace with io.of(namespace).use()", async () => {
      const accepted = await connect("/admin", { apiKey: "admin-key" }, transport);
      assert.equal(accepted.error, undefined);
      assert.deepEqual(await accepted.client.emitWithAck("whoami"), { role: "admin" });
      accepted.client.close();

      const refused = await connect("/admin", { token: "valid-token" }, transport);
      assert.ok(isAuthError(refused.error));
      assert.equal(refused.error.data.code, "MISSING_CREDENTIAL");
    });

    test("accepts a connection without a credential when required is false", async () => {
      const { client, error } = await connect("/optional", {}, transport);
      assert.equal(error, undefined);
      assert.equal(await client.emitWithAck("whoami"), null);
      client.close();
    });

    test("refuses a connection whose verify does not answer in time", async () => {
      const { error } = await connect("/hanging", { token: "any" }, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.message, `${PACKAGE_NAME}: verify did not answer within 100 ms`);
      assert.deepEqual(error.data, { code: "VERIFY_TIMEOUT", message: "Please retry later" });
    });

    test("without a verify option, refuses every credential (fail closed)", async () => {
      const { error } = await connect("/unconfigured", { token: "anything" }, transport);
      assert.ok(isAuthError(error));
      assert.equal(error.data.code, "INVALID_CREDENTIAL");
    });

    test("io.use(checkSocketioValibotAuth) without calling it refuses with a message that says how to fix it", async () => {
      const { error } = await connect("/misuse", { token: "valid-token" }, transport);
      assert.ok(error);
      assert.match(error.message, HOW_TO_FIX);
    });
  });
}

describe("checkSocketioValibotAuth's deadline", () => {
  /** Runs the middleware on a stand-in socket; resolves with what it passed to next. */
  const socket = { handshake: { auth: { token: "t" } }, data: {} } as never;
  const run = (middleware: ReturnType<typeof create>) =>
    new Promise<Error | undefined>((resolve) => middleware(socket, resolve));

  test("is cleared once verify answers: no timer is left behind", async (t) => {
    // The deadline is unref'd, which getActiveResourcesInfo() does not list: count the clears instead.
    const set = t.mock.method(globalThis, "setTimeout");
    const cleared = t.mock.method(globalThis, "clearTimeout");
    assert.equal(await run(create({ verify: async () => ({ id: 1 }) })), undefined);
    const refused = await run(create({ verify: () => false }));
    assert.equal(isAuthError(refused) && refused.data.code, "INVALID_CREDENTIAL");
    const timers = set.mock.calls.map((call) => call.result);
    assert.equal(timers.length, 2);
    assert.deepEqual(
      cleared.mock.calls.map((call) => call.arguments[0]),
      timers,
    );
  });

  test("onError sees every refusal on the server, with the cause the client never gets", async () => {
    const seen: unknown[] = [];
    const cause = new Error("jwt malformed");
    const middleware = create({
      verify: () => {
        throw cause;
      },
      onError: (error, socket) => seen.push(error.data.code, error.cause, socket.handshake.auth),
    });
    const error = await run(middleware);
    assert.ok(isAuthError(error));
    assert.deepEqual(seen, ["INVALID_CREDENTIAL", cause, { token: "t" }]);
  });

  test("onError that throws still refuses the connection, and becomes a warning", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const error = await run(
      create({
        verify: () => false,
        onError: () => {
          throw new Error("log sink down");
        },
      }),
    );
    assert.ok(isAuthError(error) && error.data.code === "INVALID_CREDENTIAL");
    assert.deepEqual(
      warn.mock.calls.map((call) => (call.arguments[0] as Error).message),
      ["log sink down"],
    );
  });

  test("onError is not called for an accepted connection, and a refusal without onError warns of nothing", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    const seen: unknown[] = [];
    assert.equal(await run(create({ verify: () => ({ id: 1 }), onError: (error) => seen.push(error) })), undefined);
    assert.deepEqual(seen, []);
    const refused = await run(create({ verify: () => false }));
    assert.ok(isAuthError(refused) && refused.data.code === "INVALID_CREDENTIAL");
    assert.equal(warn.mock.callCount(), 0);
  });

  test("a next that throws after verify's answer becomes a warning, not an unhandled rejection", async (t) => {
    const warn = t.mock.method(process, "emitWarning", () => {});
    create({ verify: async () => ({ id: 1 }) })({ handshake: { auth: { token: "t" } }, data: {} } as never, () => {
      throw new Error("next broke");
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warn.mock.calls.map((call) => (call.arguments[0] as Error).message),
      ["next broke"],
    );
  });

  test("refuses null, an empty and a non-string credential without asking verify", async () => {
    const asked: unknown[] = [];
    const middleware = create({ verify: (token) => asked.push(token) > 0 });
    const refusalOf = (token: unknown) =>
      new Promise<Error | undefined>((resolve) =>
        middleware({ handshake: { auth: { token } }, data: {} } as never, resolve),
      );
    for (const token of [null, ""]) {
      const error = await refusalOf(token);
      assert.ok(isAuthError(error), String(token));
      assert.equal(error.data.code, "MISSING_CREDENTIAL");
    }
    const error = await refusalOf(42);
    assert.ok(isAuthError(error));
    assert.equal(error.message, `${PACKAGE_NAME}: the credential in "token" is not a string`);
    assert.equal(error.data.code, "INVALID_CREDENTIAL");
    assert.deepEqual(asked, []);
  });

  test("a late answer after the deadline changes nothing", async () => {
    let answer!: (value: unknown) => void;
    const calls: Array<Error | undefined> = [];
    const middleware = create({ timeout: 20, verify: () => new Promise((resolve) => (answer = resolve)) });
    const late = { handshake: { auth: { token: "t" } }, data: {} };
    await new Promise<void>((resolve) =>
      middleware(late as never, (error) => {
        calls.push(error);
        resolve();
      }),
    );
    answer({ id: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 1);
    assert.ok(isAuthError(calls[0]) && calls[0].data.code === "VERIFY_TIMEOUT");
    assert.deepEqual(late.data, {});
  });

  test("a late rejection after the deadline changes nothing either", async () => {
    let fail!: (error: Error) => void;
    const calls: Array<Error | undefined> = [];
    const middleware = create({ timeout: 20, verify: () => new Promise((_, reject) => (fail = reject)) });
    await new Promise<void>((resolve) =>
      middleware({ handshake: { auth: { token: "t" } }, data: {} } as never, (error) => {
        calls.push(error);
        resolve();
      }),
    );
    fail(new Error("jwt expired"));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 1);
    assert.ok(isAuthError(calls[0]) && calls[0].data.code === "VERIFY_TIMEOUT");
  });

  test("a pending verify does not keep the process alive", () => {
    // A process of its own: with the deadline's timer unref'd, it ends at once, before the deadline refuses.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkSocketioValibotAuth } = await import(${JSON.stringify(source)});
      const middleware = checkSocketioValibotAuth({ timeout: 2000, verify: () => new Promise(() => {}) });
      middleware({ handshake: { auth: { token: "t" } }, data: {} }, (error) => console.log("next: " + error?.data?.code));
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, "");
  });

  test("timeout: beyond the timer maximum is held to it, instead of firing at once", async () => {
    const verify = () => new Promise((resolve) => setTimeout(resolve, 30, { id: 1 }));
    const middleware = create({ timeout: 3e9, verify });
    assert.equal(await run(middleware), undefined);
  });

  test("timeout: must be a positive number", () => {
    assert.throws(() => create({ timeout: 0 }), {
      name: "TypeError",
      message: `${PACKAGE_NAME}: invalid option "timeout": a positive number of milliseconds, received 0`,
    });
  });
});

describe("checkSocketioValibotAuth called with a socket", () => {
  test("throws when there is no next function to refuse through", () => {
    assert.throws(() => create({ handshake: {}, nsp: {} } as never), {
      name: "TypeError",
      message: HOW_TO_FIX,
    });
  });

  test("refuses through next whenever it is given one, even with a first argument unlike a socket", (t) => {
    t.mock.method(process, "emitWarning", () => {});
    const refusals: Error[] = [];
    const misused = create as unknown as (options: unknown, next: (error: Error) => void) => unknown;
    assert.equal(typeof misused({}, (error) => refusals.push(error)), "function");
    assert.equal(refusals.length, 1);
    assert.match(refusals[0]?.message ?? "", HOW_TO_FIX);
  });

  test("warns once per process", () => {
    // A process of its own, as for the warning without verify below.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkSocketioValibotAuth } = await import(${JSON.stringify(source)});
      const warnings = [];
      process.on("warning", (warning) => warnings.push({ message: warning.message, code: warning.code }));
      let refusals = 0;
      for (let i = 0; i < 2; i++) checkSocketioValibotAuth({ handshake: {}, nsp: {} }, () => refusals++);
      setImmediate(() => console.log(JSON.stringify({ refusals, warnings })));
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    const { refusals, warnings } = JSON.parse(child.stdout);
    assert.equal(refusals, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, HOW_TO_FIX);
    assert.equal(warnings[0].code, "CHECK_SOCKETIO_VALIBOT_AUTH_MISUSE");
  });
});

describe("checkSocketioValibotAuth without verify", () => {
  test("warns once per process, as every credential will be refused", () => {
    // A process of its own: the warning is once per process, and this one's tests have created the middleware already.
    const source = new URL("../src/index.ts", import.meta.url).href;
    const script = `
      const { checkSocketioValibotAuth } = await import(${JSON.stringify(source)});
      const warnings = [];
      process.on("warning", (warning) => warnings.push({ message: warning.message, code: warning.code }));
      checkSocketioValibotAuth({ verify: () => true });
      await new Promise((resolve) => setImmediate(resolve));
      const withOne = warnings.length;
      checkSocketioValibotAuth();
      checkSocketioValibotAuth();
      setImmediate(() => console.log(JSON.stringify({ withOne, warnings })));
    `;
    const args = ["--import", "tsx", "--input-type=module", "--eval", script];
    const child = spawnSync(process.execPath, args, { encoding: "utf8" });
    const NO_VERIFY = "CHECK_SOCKETIO_VALIBOT_AUTH_NO_VERIFY";
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      withOne: 0,
      warnings: [
        { message: `${PACKAGE_NAME}: no verify option was given, so every credential is refused`, code: NO_VERIFY },
      ],
    });
  });
});

describe("isCheckSocketioValibotAuthError", () => {
  test("recognises a CheckSocketioValibotAuthError and nothing else", () => {
    assert.equal(isAuthError(new AuthError("MISSING_CREDENTIAL", "no credential")), true);
    assert.equal(isAuthError(new Error("other")), false);
    assert.equal(isAuthError(Object.assign(new Error("x"), { data: { code: "OTHER", message: "" } })), false);
    assert.equal(isAuthError({ data: { code: "MISSING_CREDENTIAL", message: "" } }), false);
    assert.equal(isAuthError(Object.assign(new Error("x"), { data: null })), false);
    const numberMessage = Object.assign(new Error("x"), { data: { code: "MISSING_CREDENTIAL", message: 42 } });
    assert.equal(isAuthError(numberMessage), false);
  });

  test("is named after its class, as stack traces and logs show it", () => {
    assert.equal(new AuthError("MISSING_CREDENTIAL", "no credential").name, AuthError.name);
  });
});
