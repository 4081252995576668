// Cost of the generated middleware under load, as ratios against a baseline measured in the same run.
//
//   npm run build && node scripts/bench/middleware.mjs [--rounds 9] [--duration 2] [--warmup 1] [--connections 20]
//                                                     [--sio-count 3000] [--sio-seconds 2] [--sio-batch 20] [--fresh]
//
// express-rps: requests/s of an Express app with `app.use(generated())` at its defaults, against the same app
//   with `app.use((req, res, next) => next())`. Loaded with autocannon on loopback, time-bounded rounds.
// socketio-cps: Socket.IO connections/s through `io.use(generated({ verify }))`, the auth starter (the client
//   sends auth.token), against an io with no middleware. Sequential batches of concurrent websocket connections, bounded by count and time.
// *-per-cpu-s: the same operations per second of the server process's own CPU time (process.cpuUsage over
//   IPC), which other load on the machine disturbs far less than the wall-clock rates.
// anchors: server CPU per request of each starter against the library people would use instead, in the same
//   run and the same way (ABBA rounds, per-cpu-s rates): request-id vs express-request-id, rate-limit vs
//   express-rate-limit, logger vs morgan and vs pino-http (both writing to /dev/null), and the refusal paths,
//   rate-limit's 429 and auth's 401, vs express-rate-limit's 429. ratio = ours / anchor, so >= 1 means at or
//   below the anchor's CPU per request. --anchors-only skips the baseline figures.
// Rounds alternate baseline/ours (ABBA) so that machine noise hits both sides; each figure is the median.
// stdout: one line per figure: name ours baseline ratio target pass|fail spread, where spread is
//   ours:min-max,base:min-max,ratio:min-max (the last one over the rounds' back-to-back pairs).
// Exit 0 whatever the ratios (a bench reports, it does not test); non-zero only when something crashed.
//
// The generated packages live in .bench/work (git-ignored), an npm workspace reused across runs while the
// rendered files are unchanged (a hash of them is kept); a template change re-renders, reinstalls, rebuilds.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";

const AUTOCANNON_VERSION = "8.0.0";
const TARGET = 0.97;
const ROOT = process.cwd();
const BIN = join(ROOT, "bin/create-middleware.cjs");
const BENCH = join(ROOT, ".bench");
const WORK = join(BENCH, "work");
const RENDER = join(BENCH, "render");
const STATE = join(WORK, ".bench-state.json");
// The starters are named, so a change of the tables' defaults does not change what is measured: Express's
// request-id (an id per request, one header), Socket.IO's auth (handshake.auth.token through a verify).
const PACKAGES = [
  { name: "bench-express", target: "express", starter: "request-id" },
  { name: "bench-socketio", target: "socket.io", starter: "auth" },
  { name: "bench-rate-limit", target: "express", starter: "rate-limit" },
  { name: "bench-logger", target: "express", starter: "logger" },
  { name: "bench-auth", target: "express", starter: "auth" },
];
// The libraries each starter is measured against, installed into the bench workspace from the registry.
const ANCHORS = { "express-rate-limit": "8.7.5", morgan: "1.12.1", "pino-http": "11.0.0", pino: "10.4.0", "express-request-id": "3.0.0" };
// Pairs of Express server modes (see EXPRESS_SERVER): ours against its anchor, and the status both answer.
const ANCHOR_PAIRS = [
  { name: "request-id-vs-express-request-id", ours: "request-id", anchor: "express-request-id", status: 200 },
  // What opting in to currentRequestId() (AsyncLocalStorage, off by default) costs per request.
  { name: "request-id-async-context-vs-express-request-id", ours: "request-id-async-context", anchor: "express-request-id", status: 200 },
  { name: "rate-limit-vs-express-rate-limit", ours: "rate-limit", anchor: "express-rate-limit", status: 200 },
  { name: "logger-vs-morgan", ours: "logger", anchor: "morgan", status: 200 },
  { name: "logger-vs-pino-http", ours: "logger", anchor: "pino-http", status: 200 },
  { name: "rate-limit-429-vs-express-rate-limit-429", ours: "rate-limit-429", anchor: "express-rate-limit-429", status: 429 },
  { name: "auth-401-vs-express-rate-limit-429", ours: "auth-401", anchor: "express-rate-limit-429", status: 0 },
];

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "9" },
    duration: { type: "string", default: "2" },
    warmup: { type: "string", default: "1" },
    connections: { type: "string", default: "20" },
    "sio-count": { type: "string", default: "3000" },
    "sio-batch": { type: "string", default: "20" },
    "sio-seconds": { type: "string", default: "2" },
    fresh: { type: "boolean", default: false },
    "anchors-only": { type: "boolean", default: false },
  },
});
/** @typedef {"baseline" | "ours"} Side With an anchor, "baseline" is the anchor library. */
/** @typedef {Record<Side, number[]>} PerSide */
/** @typedef {{ rate: PerSide, perCpu: PerSide }} Samples */
/** @typedef {{ child: import("node:child_process").ChildProcess, port: number, url: string, cpu: () => Promise<number> }} Server */
/** @type {readonly Side[]} */
const SIDES = ["baseline", "ours"];

const ROUNDS = positive("rounds");
const DURATION = positive("duration");
const WARMUP = positive("warmup");
const CONNECTIONS = positive("connections");
const SIO_COUNT = positive("sio-count");
const SIO_BATCH = positive("sio-batch");
const SIO_SECONDS = positive("sio-seconds");

/** @param {keyof typeof args} name */
function positive(name) {
  const value = Number(args[name]);
  if (!(value > 0)) {
    console.error(`bench: --${name} must be a positive number, got ${JSON.stringify(args[name])}`);
    process.exit(2);
  }
  return value;
}

const log = (/** @type {string} */ message) => process.stderr.write(`bench: ${message}\n`);

// ---------------------------------------------------------------------------------------------------------
// Servers: child processes we started, killed at the end, on error and on Ctrl-C.

/** @type {Set<import("node:child_process").ChildProcess>} */
const children = new Set();
function killChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
  children.clear();
}
process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    killChildren();
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

/**
 * The CPU time (user + system, microseconds) the server process has used so far, asked over IPC.
 * @param {import("node:child_process").ChildProcess} child
 * @returns {Promise<number>}
 */
function cpuOf(child) {
  return new Promise((done) => {
    child.once("message", done);
    child.send("cpu");
  });
}

/**
 * Starts `node <script> <mode>` in the workspace; resolves with its port once it prints `PORT <n>`.
 * @param {string} script
 * @param {string} mode
 * @returns {Promise<Server>}
 */
function startServer(script, mode) {
  return new Promise((resolvePort, reject) => {
    // stdin is a pipe: the server exits when it closes, so it cannot outlive a bench killed with SIGKILL.
    const child = spawn(process.execPath, [script, mode], { cwd: WORK, stdio: ["pipe", "pipe", "inherit", "ipc"] });
    children.add(child);
    // A pipe (stdio[1] above), so never null.
    const stdout = /** @type {import("node:stream").Readable} */ (child.stdout);
    let out = "";
    const onData = (/** @type {string} */ chunk) => {
      out += chunk;
      const match = /^PORT (\d+)$/m.exec(out);
      if (match) {
        stdout.off("data", onData);
        stdout.resume();
        resolvePort({ child, port: Number(match[1]), url: `http://127.0.0.1:${match[1]}`, cpu: () => cpuOf(child) });
      }
    };
    stdout.setEncoding("utf8").on("data", onData);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      children.delete(child);
      reject(new Error(`${script} ${mode} exited early (${signal ?? code})`));
    });
  });
}

const EXPRESS_SERVER = `// Written by scripts/bench/middleware.mjs.
import { createWriteStream } from "node:fs";
import express from "express";
import generated from "bench-express";
import rateLimit from "bench-rate-limit";
import logger from "bench-logger";
import auth from "bench-auth";
import { rateLimit as expressRateLimit } from "express-rate-limit";
import morgan from "morgan";
import pinoHttp from "pino-http";
import pino from "pino";
import expressRequestId from "express-request-id";

// Loggers write to /dev/null: what is measured is the middleware, not the terminal.
const sink = createWriteStream("/dev/null");
const anchorLimit = (limit) => expressRateLimit({ limit, windowMs: 60_000, standardHeaders: "draft-6", legacyHeaders: false });
const modes = {
  baseline: () => (req, res, next) => next(),
  ours: () => generated(),
  "request-id": () => generated(),
  "request-id-async-context": () => generated({ asyncContext: true }),
  "express-request-id": () => expressRequestId(),
  "rate-limit": () => rateLimit({ limit: 1e9 }),
  "express-rate-limit": () => anchorLimit(1e9),
  "rate-limit-429": () => rateLimit({ limit: 1 }),
  "express-rate-limit-429": () => anchorLimit(1),
  // No token is sent: every request is refused with 401.
  "auth-401": () => auth({ verify: () => true }),
  logger: () => logger({ log: (line) => sink.write(line + "\\n") }),
  morgan: () => morgan("combined", { stream: sink }),
  "pino-http": () => pinoHttp({ logger: pino(pino.destination("/dev/null")) }),
};
const mode = process.argv[2];
const app = express();
app.use(modes[mode]());
app.get("/", (req, res) => {
  res.send("ok");
});
const server = app.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
process.stdin.on("end", () => process.exit(0)).resume();
process.on("disconnect", () => process.exit(0));
process.on("message", () => {
  const { user, system } = process.cpuUsage();
  process.send(user + system);
});
`;

const SOCKETIO_SERVER = `// Written by scripts/bench/middleware.mjs.
import { createServer } from "node:http";
import { Server } from "socket.io";
import generated from "bench-socketio";

const mode = process.argv[2];
const http = createServer();
const io = new Server(http, { transports: ["websocket"] });
// The cheapest verify that accepts the bench client's token: what is measured is the middleware around it.
if (mode === "ours") io.use(generated({ verify: (token) => token === "t" }));
io.on("connection", () => {});
http.listen(0, "127.0.0.1", () => console.log("PORT " + http.address().port));
process.stdin.on("end", () => process.exit(0)).resume();
process.on("disconnect", () => process.exit(0));
process.on("message", () => {
  const { user, system } = process.cpuUsage();
  process.send(user + system);
});
`;

// ---------------------------------------------------------------------------------------------------------
// Workspace: render, hash, install once, build.

/** @param {string} command @param {string[]} argv @param {string} cwd */
function run(command, argv, cwd) {
  const result = spawnSync(command, argv, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${command} ${argv.join(" ")} failed in ${relative(ROOT, cwd) || "."} (${result.error?.message ?? `exit ${result.status}`})`);
  }
  return result.stdout;
}

/** @param {string} dir @param {string} [base] @returns {string[]} */
function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : listFiles(path, base);
      return [relative(base, path)];
    })
    .sort();
}

/** @param {string} dir */
function hashTree(dir) {
  const hash = createHash("sha256");
  for (const file of listFiles(dir))
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(dir, file)))
      .update("\0");
  return hash.digest("hex");
}

function readState() {
  try {
    return JSON.parse(readFileSync(STATE, "utf8"));
  } catch {
    return {};
  }
}

function prepareWorkspace() {
  if (!existsSync(BIN) || !existsSync(join(ROOT, "dist"))) {
    throw new Error("run from the repository root after `npm run build` (bin/create-middleware.cjs and dist/ needed)");
  }
  // Rendering is cheap (no install): render afresh, and compare its hash with the workspace's.
  rmSync(RENDER, { recursive: true, force: true });
  mkdirSync(RENDER, { recursive: true });
  const hash = createHash("sha256").update(`autocannon@${AUTOCANNON_VERSION}\0${JSON.stringify(ANCHORS)}\0`);
  for (const { name, target, starter } of PACKAGES) {
    run(process.execPath, [BIN, join(RENDER, name), "--target", target, "--starter", starter, "--yes", "--no-install", "--no-git"], ROOT);
    hash.update(`${name}\0${hashTree(join(RENDER, name))}\0`);
  }
  const renderHash = hash.digest("hex");

  const state = readState();
  const complete =
    !args.fresh &&
    state.renderHash === renderHash &&
    state.built === true &&
    existsSync(join(WORK, "node_modules/autocannon/package.json")) &&
    PACKAGES.every(({ name }) => existsSync(join(WORK, "packages", name, "dist/index.js")) && existsSync(join(WORK, "node_modules", name)));
  if (complete) {
    log("workspace .bench/work is up to date: reusing it");
    rmSync(RENDER, { recursive: true, force: true });
  } else {
    log(state.renderHash && state.renderHash !== renderHash ? "rendered files changed: refreshing .bench/work" : "setting up .bench/work");
    mkdirSync(join(WORK, "packages"), { recursive: true });
    writeFileSync(STATE, "{}\n"); // incomplete until the build is done
    for (const { name } of PACKAGES) {
      rmSync(join(WORK, "packages", name), { recursive: true, force: true });
      renameSync(join(RENDER, name), join(WORK, "packages", name));
    }
    rmSync(RENDER, { recursive: true, force: true });
    const manifest = {
      name: "create-middleware-bench",
      private: true,
      workspaces: ["packages/*"],
      devDependencies: { autocannon: AUTOCANNON_VERSION, ...ANCHORS },
    };
    writeFileSync(join(WORK, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    log("npm install (one, for the whole workspace)");
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], WORK);
    for (const { name } of PACKAGES) {
      log(`npm run build in packages/${name}`);
      run("npm", ["run", "build"], join(WORK, "packages", name));
    }
    writeFileSync(STATE, `${JSON.stringify({ renderHash, built: true }, null, 2)}\n`);
  }
  mkdirSync(join(WORK, "servers"), { recursive: true });
  writeFileSync(join(WORK, "servers/express.mjs"), EXPRESS_SERVER);
  writeFileSync(join(WORK, "servers/socketio.mjs"), SOCKETIO_SERVER);
}

// ---------------------------------------------------------------------------------------------------------
// Measurements.

const median = (/** @type {number[]} */ values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Runs `measure(side)` for ROUNDS rounds per side, alternating ABBA. `measure` returns `{ rate, perCpu }`:
 * completed operations per wall-clock second, and per second of the server process's CPU time. Returns
 * `{ rate: { baseline: [...], ours: [...] }, perCpu: { ... } }`.
 * @param {(side: Side) => Promise<{ rate: number, perCpu: number }>} measure
 * @param {string} label
 * @returns {Promise<Samples>}
 */
async function alternate(measure, label) {
  /** @type {Samples} */
  const samples = { rate: { baseline: [], ours: [] }, perCpu: { baseline: [], ours: [] } };
  // With an anchor, "baseline" is the anchor library.
  for (let round = 0; round < ROUNDS; round++) {
    /** @type {Side[]} */
    const order = round % 2 === 0 ? ["baseline", "ours"] : ["ours", "baseline"];
    for (const side of order) {
      const { rate, perCpu } = await measure(side);
      samples.rate[side].push(rate);
      samples.perCpu[side].push(perCpu);
      log(`${label} round ${round + 1}/${ROUNDS} ${side.padEnd(8)} ${Math.round(rate)}/s, ${Math.round(perCpu)}/cpu-s`);
    }
  }
  return samples;
}

/** @param {any} autocannon the autocannon function, loaded from the bench workspace */
async function benchExpress(autocannon) {
  const script = join(WORK, "servers/express.mjs");
  const servers = { baseline: await startServer(script, "baseline"), ours: await startServer(script, "ours") };
  /** @param {Side} side @param {number} duration */
  const load = async (side, duration) => {
    const cpuBefore = await servers[side].cpu();
    const result = await autocannon({
      url: servers[side].url,
      connections: CONNECTIONS,
      pipelining: 1,
      duration,
    });
    if (result.errors || result.timeouts || result.non2xx) {
      throw new Error(`express ${side}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
    }
    const cpu = (await servers[side].cpu()) - cpuBefore;
    return { rate: result.requests.total / result.duration, perCpu: result.requests.total / (cpu / 1e6) };
  };
  // The route must answer, and ours must have run (the header is its default visible effect).
  for (const side of SIDES) {
    const response = await fetch(servers[side].url);
    const header = response.headers.get("x-request-id");
    if (response.status !== 200 || (await response.text()) !== "ok" || (side === "ours") !== (header !== null)) {
      throw new Error(`express ${side}: unexpected response (status ${response.status}, header ${header})`);
    }
  }
  for (const side of SIDES) await load(side, WARMUP);
  const samples = await alternate((side) => load(side, DURATION), "express");
  for (const side of SIDES) servers[side].child.kill("SIGTERM");
  return samples;
}

/**
 * One starter against its anchor library: two Express servers, the same route, the same load. `status` is
 * what both must answer (0: any 4xx, for a refusal measured against another kind of refusal).
 */
/** @param {any} autocannon @param {(typeof ANCHOR_PAIRS)[number]} pair */
async function benchAnchor(autocannon, pair) {
  const script = join(WORK, "servers/express.mjs");
  const servers = { baseline: await startServer(script, pair.anchor), ours: await startServer(script, pair.ours) };
  const expected = (/** @type {number} */ status) => (pair.status === 0 ? status >= 400 && status < 500 : status === pair.status);
  for (const side of SIDES) {
    // A refusing mode lets the first request through (limit 1): spend it before checking.
    await fetch(servers[side].url).then((response) => response.arrayBuffer());
    const response = await fetch(servers[side].url);
    await response.arrayBuffer();
    if (!expected(response.status)) throw new Error(`${pair.name} ${side}: answered ${response.status}, expected ${pair.status || "4xx"}`);
  }
  /** @param {Side} side @param {number} duration */
  const load = async (side, duration) => {
    const cpuBefore = await servers[side].cpu();
    const result = await autocannon({ url: servers[side].url, connections: CONNECTIONS, pipelining: 1, duration });
    const refusals = pair.status === 200 ? result.non2xx : 0;
    if (result.errors || result.timeouts || refusals) {
      throw new Error(`${pair.name} ${side}: ${result.errors} errors, ${result.timeouts} timeouts, ${refusals} non-2xx`);
    }
    const cpu = (await servers[side].cpu()) - cpuBefore;
    return { rate: result.requests.total / result.duration, perCpu: result.requests.total / (cpu / 1e6) };
  };
  for (const side of SIDES) await load(side, WARMUP);
  const samples = await alternate((side) => load(side, DURATION), pair.name);
  for (const side of SIDES) servers[side].child.kill("SIGTERM");
  return samples;
}

/** @param {any} ioClient socket.io-client's `io`, loaded from the bench workspace */
async function benchSocketIo(ioClient) {
  const script = join(WORK, "servers/socketio.mjs");
  const servers = { baseline: await startServer(script, "baseline"), ours: await startServer(script, "ours") };
  /** @param {string} url @returns {Promise<void>} */
  const connectOnce = (url) =>
    new Promise((done, fail) => {
      const socket = ioClient(url, {
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
        timeout: 5000,
        auth: { token: "t" },
      });
      socket.on("connect", () => {
        socket.disconnect();
        done();
      });
      socket.on("connect_error", (/** @type {Error} */ error) => {
        socket.disconnect();
        fail(new Error(`socket.io connect_error: ${error.message}`));
      });
    });
  /** Connections/s over at most `count` connections and `seconds` seconds (the last batch finishes). @param {Side} side @param {number} count @param {number} seconds */
  const load = async (side, count, seconds) => {
    const cpuBefore = await servers[side].cpu();
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let done = 0;
    while (done < count && performance.now() < deadline) {
      const batch = Math.min(SIO_BATCH, count - done);
      await Promise.all(Array.from({ length: batch }, () => connectOnce(servers[side].url)));
      done += batch;
    }
    const elapsed = (performance.now() - started) / 1000;
    const cpu = (await servers[side].cpu()) - cpuBefore;
    return { rate: done / elapsed, perCpu: done / (cpu / 1e6) };
  };
  // The client (in this process) needs longer than the server to warm up.
  for (const side of SIDES) await load(side, SIO_COUNT, Math.max(2, WARMUP));
  const samples = await alternate((side) => load(side, SIO_COUNT, SIO_SECONDS), "socket.io");
  for (const side of SIDES) servers[side].child.kill("SIGTERM");
  return samples;
}

/** @param {string} name @param {PerSide} samples @param {number} [target] */
function report(name, samples, target = TARGET) {
  const ours = median(samples.ours);
  const baseline = median(samples.baseline);
  const ratio = ours / baseline;
  const range = (/** @type {number[]} */ values, digits = 0) => `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
  // Each round measured both sides back to back: the spread of these ratios shows how noisy the run was.
  const paired = samples.ours.map((value, round) => value / samples.baseline[round]);
  const columns = [
    name,
    Math.round(ours),
    Math.round(baseline),
    ratio.toFixed(3),
    `>=${target}`,
    ratio >= target ? "pass" : "fail",
    `ours:${range(samples.ours)},base:${range(samples.baseline)},ratio:${range(paired, 3)}`,
  ];
  console.log(columns.join("  "));
}

try {
  prepareWorkspace();
  const requireFromWork = createRequire(join(WORK, "package.json"));
  const autocannon = requireFromWork("autocannon");
  const { io: ioClient } = requireFromWork("socket.io-client");
  if (!args["anchors-only"]) {
    log(`express: ${ROUNDS} rounds x ${DURATION} s per side, ${CONNECTIONS} connections, pipelining 1`);
    const express = await benchExpress(autocannon);
    log(`socket.io: ${ROUNDS} rounds per side, up to ${SIO_COUNT} connections or ${SIO_SECONDS} s, batches of ${SIO_BATCH}`);
    const socketIo = await benchSocketIo(ioClient);
    report("express-rps", express.rate);
    report("express-req-per-cpu-s", express.perCpu);
    report("socketio-cps", socketIo.rate);
    report("socketio-conn-per-cpu-s", socketIo.perCpu);
  }
  // Same rounds for every anchor: at or below the anchor's CPU per request is a per-cpu-s ratio of 1 or more.
  /** @type {Array<[string, Samples]>} */
  const anchored = [];
  for (const pair of ANCHOR_PAIRS) {
    log(`${pair.name}: ${ROUNDS} rounds x ${DURATION} s per side`);
    anchored.push([pair.name, await benchAnchor(autocannon, pair)]);
  }
  for (const [name, samples] of anchored) report(`${name}-req-per-cpu-s`, samples.perCpu, 1);
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
} finally {
  killChildren();
}
