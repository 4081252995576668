import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Server } from "socket.io";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import { isCheckSocketioValibotAuthError, checkSocketioValibotAuth, CheckSocketioValibotAuthError } from "../src/index.js";

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
    checkSocketioValibotAuth({
      verify: async (token) => {
        if (token === "reject") throw new Error("database unreachable");
        if (token === "expired") throw new CheckSocketioValibotAuthError("INVALID_CREDENTIAL", "check-socketio-valibot-auth: the token expired");
        return users.get(token);
      },
    }),
  );
  io.of("/sync-throw").use(
    checkSocketioValibotAuth({
      verify: () => {
        throw new Error("boom");
      },
    }),
  );
  io.of("/admin").use(checkSocketioValibotAuth({ authField: "apiKey", verify: (key) => key === "admin-key" && { role: "admin" } }));
  io.of("/optional").use(checkSocketioValibotAuth({ required: false }));
  io.of("/misuse").use(checkSocketioValibotAuth as never);
  // A verify that never answers: the deadline refuses the connection.
  io.of("/hanging").use(checkSocketioValibotAuth({ timeout: 100, verify: () => new Promise(() => {}) }));
  io.of("/unconfigured").use(checkSocketioValibotAuth());

  for (const namespace of ["/", "/sync-throw", "/admin", "/optional", "/unconfigured"]) {
    io.of(namespace).on("connection", (socket) => {
      socket.on("whoami", (reply: (data: unknown) => void) => reply(socket.data.checkSocketioValibotAuth ?? null));
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
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.message, 'check-socketio-valibot-auth: no credential in handshake auth "token"');
      assert.deepEqual(error.data, { code: "MISSING_CREDENTIAL", message: "Please sign in and retry" });
    });

    test("refuses a credential that verify rejects with a falsy value", async () => {
      const { error } = await connect("/", { token: "unknown" }, transport);
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.message, "check-socketio-valibot-auth: the credential was rejected");
      assert.deepEqual(error.data, { code: "INVALID_CREDENTIAL", message: "Please sign in again" });
    });

    test("refuses a credential that is not a string", async () => {
      const { error } = await connect("/", { token: 42 }, transport);
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.data.code, "INVALID_CREDENTIAL");
    });

    test("refuses when verify rejects, without sending the cause to the client", async () => {
      const { error } = await connect("/", { token: "reject" }, transport);
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.message, "check-socketio-valibot-auth: the credential could not be verified");
      assert.deepEqual(error.data, { code: "VERIFY_FAILED", message: "Please retry later" });
    });

    test("refuses when verify throws synchronously", async () => {
      const { error } = await connect("/sync-throw", { token: "any" }, transport);
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.data.code, "VERIFY_FAILED");
    });

    test("passes a CheckSocketioValibotAuthError thrown by verify through as is", async () => {
      const { error } = await connect("/", { token: "expired" }, transport);
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.message, "check-socketio-valibot-auth: the token expired");
      assert.deepEqual(error.data, { code: "INVALID_CREDENTIAL", message: "Please sign in again" });
    });

    test("works on a namespace with io.of(namespace).use()", async () => {
      const accepted = await connect("/admin", { apiKey: "admin-key" }, transport);
      assert.equal(accepted.error, undefined);
      assert.deepEqual(await accepted.client.emitWithAck("whoami"), { role: "admin" });
      accepted.client.close();

      const refused = await connect("/admin", { token: "valid-token" }, transport);
      assert.ok(isCheckSocketioValibotAuthError(refused.error));
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
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.message, "check-socketio-valibot-auth: verify did not answer within 100 ms");
      assert.deepEqual(error.data, { code: "VERIFY_TIMEOUT", message: "Please retry later" });
    });

    test("without a verify option, refuses every credential (fail closed)", async () => {
      const { error } = await connect("/unconfigured", { token: "anything" }, transport);
      assert.ok(isCheckSocketioValibotAuthError(error));
      assert.equal(error.data.code, "INVALID_CREDENTIAL");
    });

    test("io.use(checkSocketioValibotAuth) without calling it refuses with a message that says how to fix it", async () => {
      const { error } = await connect("/misuse", { token: "valid-token" }, transport);
      assert.ok(error);
      assert.match(error.message, /write io\.use\(checkSocketioValibotAuth\(\)\)/);
    });
  });
}

describe("checkSocketioValibotAuth's deadline", () => {
  /** Runs the middleware on a stand-in socket; resolves with what it passed to next. */
  const run = (middleware: ReturnType<typeof checkSocketioValibotAuth>) =>
    new Promise<Error | undefined>((resolve) => middleware({ handshake: { auth: { token: "t" } }, data: {} } as never, resolve));
  const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

  test("is cleared once verify answers: no timer is left behind", async () => {
    const before = timers();
    assert.equal(await run(checkSocketioValibotAuth({ verify: async () => ({ id: 1 }) })), undefined);
    assert.equal(await run(checkSocketioValibotAuth({ verify: () => false })).then((error) => isCheckSocketioValibotAuthError(error) && error.data.code), "INVALID_CREDENTIAL");
    assert.equal(timers(), before);
  });

  test("a late answer after the deadline changes nothing", async () => {
    let answer!: (value: unknown) => void;
    const calls: Array<Error | undefined> = [];
    const middleware = checkSocketioValibotAuth({ timeout: 20, verify: () => new Promise((resolve) => (answer = resolve)) });
    await new Promise<void>((resolve) =>
      middleware({ handshake: { auth: { token: "t" } }, data: {} } as never, (error) => {
        calls.push(error);
        resolve();
      }),
    );
    answer({ id: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 1);
    assert.ok(isCheckSocketioValibotAuthError(calls[0]) && calls[0].data.code === "VERIFY_TIMEOUT");
  });

  test("timeout: must be a positive number", () => {
    assert.throws(() => checkSocketioValibotAuth({ timeout: 0 }), {
      name: "TypeError",
      message: 'check-socketio-valibot-auth: invalid option "timeout": a positive number of milliseconds, received 0',
    });
  });
});

describe("checkSocketioValibotAuth called with a socket", () => {
  test("throws when there is no next function to refuse through", () => {
    assert.throws(() => checkSocketioValibotAuth({ handshake: {}, nsp: {} } as never), {
      name: "TypeError",
      message: /write io\.use\(checkSocketioValibotAuth\(\)\)/,
    });
  });
});

describe("isCheckSocketioValibotAuthError", () => {
  test("recognises a CheckSocketioValibotAuthError and nothing else", () => {
    assert.equal(isCheckSocketioValibotAuthError(new CheckSocketioValibotAuthError("MISSING_CREDENTIAL", "no credential")), true);
    assert.equal(isCheckSocketioValibotAuthError(new Error("other")), false);
    assert.equal(isCheckSocketioValibotAuthError(Object.assign(new Error("x"), { data: { code: "OTHER", message: "" } })), false);
    assert.equal(isCheckSocketioValibotAuthError({ data: { code: "MISSING_CREDENTIAL", message: "" } }), false);
  });
});
