/**
 * Hostile input from the team-pack surfaces, against the built CLI: pack manifests (validate patterns,
 * `when` conditions), every pack source (tarballs read by our tar reader, npm specs, git), the team config,
 * the answers file replayed with --answers, and `update`/`outdated` on a package directory someone else
 * prepared. One row per attack, in the style of adversarial.test.ts: the arguments, the sandbox's state
 * (a home with ~/.ssh, a work folder), the expected exit code and message. Every row also checks that the
 * run did not crash (no stack trace, no "Unexpected error"), did not hang, and changed nothing in the
 * sandbox outside the row's target folder (the pack cache aside).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { BIN } from "../helpers/cli.js";

// CM_BIN=<path to a bin/create-middleware.cjs> runs the rows against another build (main's, to see which
// rows a fix turned green); the setups always use this build.
const CLI = process.env.CM_BIN ?? BIN;
const QUICK = ["--yes", "--no-install", "--no-git"];
const TIMEOUT_MS = 30_000;

interface Sandbox {
  root: string;
  home: string;
  work: string;
  cache: string;
  at(...parts: string[]): string;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

interface Row {
  name: string;
  args: string[] | ((sandbox: Sandbox) => string[]);
  setup?: (sandbox: Sandbox) => void;
  code: number;
  message?: RegExp;
  /** Under --json: stdout is one JSON document: the report on success, the failure ({ ok: false, error }) otherwise. */
  json?: boolean;
  /** A path under work/ the run may create or change. */
  writes?: string;
  /** When the run is killed as hung, for a row whose setup and run move tens of MB (a loaded machine). */
  timeoutMs?: number;
  /** More environment for the run (PATH with a stand-in program). */
  env?: (sandbox: Sandbox) => NodeJS.ProcessEnv;
  check?: (sandbox: Sandbox, result: Result) => void;
}

function makeSandbox(): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), "cm-adversarial-packs-"));
  const home = path.join(root, "home");
  const work = path.join(root, "work");
  mkdirSync(path.join(home, ".ssh"), { recursive: true });
  writeFileSync(path.join(home, ".ssh", "id_rsa"), "-----BEGIN PRIVATE KEY-----\nsecret\n");
  mkdirSync(work);
  writeFileSync(path.join(work, "notes.txt"), "do not touch\n");
  return { root, home, work, cache: path.join(root, "cache"), at: (...parts) => path.join(work, ...parts) };
}

function snapshot(root: string, skip: (relative: string) => boolean): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      const relative = path.relative(root, file);
      if (skip(relative)) continue;
      const info = lstatSync(file);
      if (info.isSymbolicLink()) entries.set(relative, `link ${readlinkSync(file)}`);
      else if (info.isDirectory()) {
        entries.set(relative, "dir");
        walk(file);
      } else if (info.isFile()) entries.set(relative, `file ${createHash("sha1").update(readFileSync(file)).digest("hex")}`);
      else entries.set(relative, "special");
    }
  };
  walk(root);
  return entries;
}

function run(args: string[], sandbox: Sandbox, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = TIMEOUT_MS): Promise<Result> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: sandbox.home,
      XDG_CONFIG_HOME: path.join(sandbox.home, ".config"),
      CREATE_MIDDLEWARE_CACHE: sandbox.cache,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig"),
      GIT_AUTHOR_NAME: undefined,
      GIT_COMMITTER_NAME: undefined,
      NO_COLOR: undefined,
      FORCE_COLOR: undefined,
      npm_config_user_agent: undefined,
      ...extraEnv,
    };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: sandbox.work, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let hung = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

const CRASH = /Unexpected error|^\s+at .+:\d+:\d+\)?$|node:internal|Error \[ERR_|Cannot read properties|is not a function/m;

async function check(row: Row): Promise<void> {
  const sandbox = makeSandbox();
  try {
    row.setup?.(sandbox);
    const args = typeof row.args === "function" ? row.args(sandbox) : row.args;
    const target = row.writes === undefined ? undefined : path.relative(sandbox.root, sandbox.at(row.writes));
    const skip = (relative: string) =>
      relative === "cache" ||
      relative.startsWith(`cache${path.sep}`) ||
      (target !== undefined && (relative === target || relative.startsWith(target + path.sep)));
    const before = snapshot(sandbox.root, skip);
    const result = await run(args, sandbox, row.env?.(sandbox), row.timeoutMs);
    const output = `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
    assert.ok(!result.hung, `hung (killed after ${row.timeoutMs ?? TIMEOUT_MS} ms)\n${output}`);
    assert.ok(!CRASH.test(result.stderr), `crashed\n${output}`);
    assert.deepEqual([...snapshot(sandbox.root, skip)], [...before], `changed files outside the target\n${output}`);
    assert.equal(result.code, row.code, `exit code\n${output}`);
    if (row.message) assert.match(`${result.stderr}\n${result.code === 0 ? result.stdout : ""}`, row.message, output);
    if (row.json) {
      if (result.code === 0) assert.doesNotThrow(() => JSON.parse(result.stdout), `stdout is JSON only\n${output}`);
      else {
        // Every failure under --json is one JSON object on stdout, naming the same exit code (README, Exit codes).
        const document = JSON.parse(result.stdout) as { ok: boolean; error: { exitCode: number } };
        assert.deepEqual([document.ok, document.error.exitCode], [false, result.code], `stdout is the failure as JSON\n${output}`);
      }
    }
    row.check?.(sandbox, result);
  } finally {
    rmSync(sandbox.root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers for rows

function files(dir: string, entries: Record<string, string>): void {
  for (const [file, text] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

/** A pack at work/pk with a base file and this pack.json. */
const packWith = (manifest: unknown) => (sandbox: Sandbox) =>
  files(sandbox.at("pk"), { "base/NOTE.md": "from the pack\n", "pack.json": typeof manifest === "string" ? manifest : JSON.stringify(manifest) });

const absent =
  (...parts: string[]) =>
  (sandbox: Sandbox) =>
    assert.ok(!existsSync(sandbox.at(...parts)), `${parts.join("/")} must not exist`);
const PACK = ["x", ...QUICK, "--template", "./pk"];

/** A package made with a pack (work/made), whose answers file `edit` then changes (it is given the parsed file). */
function madeThenEdited(edit: (answers: Record<string, any>, sandbox: Sandbox) => void, manifest: unknown = { questions: [] }) {
  return (sandbox: Sandbox) => {
    packWith(manifest)(sandbox);
    const made = spawnSync(process.execPath, [BIN, "made", ...QUICK, "--template", "./pk"], { cwd: sandbox.work, encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    const file = sandbox.at("made", ".create-middleware.json");
    const answers = JSON.parse(readFileSync(file, "utf8"));
    edit(answers, sandbox);
    writeFileSync(file, typeof answers.__text === "string" ? answers.__text : `${JSON.stringify(answers, null, 2)}\n`);
  };
}

/** A gzipped tar of `entries` (ustar headers written by hand, so any name, type or link can be forged). */
function tarball(entries: Array<{ name: string; type?: string; body?: string; linkname?: string; pax?: string }>): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string, linkname = "") => {
    const block = Buffer.alloc(512);
    block.write(name.slice(0, 100), 0);
    block.write("0000644\0", 100);
    block.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
    block.write("00000000000\0", 136);
    block.write("        ", 148);
    block.write(type, 156);
    block.write(linkname, 157);
    block.write("ustar\0", 257);
    block.write("00", 263);
    const sum = block.reduce((total, byte) => total + byte, 0);
    block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    return block;
  };
  const padded = (body: Buffer) => Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
  for (const entry of entries) {
    if (entry.pax !== undefined) {
      const record = ` path=${entry.pax}\n`;
      let length = record.length + 2;
      if (String(length).length + record.length !== length) length = String(length + 1).length + record.length;
      const body = Buffer.from(`${length}${record}`);
      blocks.push(header("PaxHeader", body.length, "x"), padded(body));
    }
    const body = Buffer.from(entry.body ?? "");
    const empty = ["1", "2", "5"].includes(entry.type ?? "0");
    blocks.push(header(entry.name, empty ? 0 : body.length, entry.type ?? "0", entry.linkname));
    if (!empty) blocks.push(padded(body));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** git with the sandbox's own (empty) configuration. */
function sandboxGit(sandbox: Sandbox, cwd: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=Ann", "-c", "user.email=ann@example.com", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, HOME: sandbox.home, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig") },
  });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A bare repository <root>/<name>.git whose one commit holds `entries` (or what `fill` writes); its path and commit. */
function bareRepo(sandbox: Sandbox, name: string, entries: Record<string, string>, fill?: (tree: string) => void): { bare: string; commit: string } {
  const tree = path.join(sandbox.root, `${name}-src`);
  mkdirSync(tree, { recursive: true });
  files(tree, entries);
  fill?.(tree);
  sandboxGit(sandbox, tree, "init", "-q");
  sandboxGit(sandbox, tree, "add", "-A");
  sandboxGit(sandbox, tree, "commit", "-qm", "pack");
  const bare = path.join(sandbox.root, `${name}.git`);
  sandboxGit(sandbox, sandbox.root, "clone", "-q", "--bare", tree, bare);
  return { bare, commit: sandboxGit(sandbox, bare, "rev-parse", "HEAD") };
}

const GIT_PACK = { "base/NOTE.md": "from the git pack\n", "pack.json": "{}" };

/** A git pack at root/gp.git, fetched once into the sandbox's cache; then `damage` is done to the cached copy. */
function fetchedThenDamaged(damage: (cached: string) => void) {
  return (sandbox: Sandbox) => {
    const { bare, commit } = bareRepo(sandbox, "gp", GIT_PACK);
    const env = {
      ...process.env,
      HOME: sandbox.home,
      CREATE_MIDDLEWARE_CACHE: sandbox.cache,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig"),
    };
    const first = spawnSync(process.execPath, [BIN, "first", ...QUICK, "--template", `git+file://${bare}`], {
      cwd: sandbox.root,
      encoding: "utf8",
      env,
    });
    assert.equal(first.status, 0, first.stderr);
    rmSync(path.join(sandbox.root, "first"), { recursive: true });
    damage(path.join(sandbox.cache, "packs", "git", commit));
  };
}

const gitPackSource = (sandbox: Sandbox) => `git+file://${path.join(sandbox.root, "gp.git")}`;
const SECRET = "s3cr3tT0ken";
const leaksNoSecret = (_sandbox: Sandbox, result: Result) => assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, new RegExp(SECRET));
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

// A pattern that backtracks for minutes on 30 "a"s and a "!" (2^30 paths), and such a text.
const EVIL_PATTERN = "^(a+)+$";
const EVIL_TEXT = `${"a".repeat(34)}!`;
const nested = (depth: number, inner: string) => `${'{"not":'.repeat(depth)}${inner}${"}".repeat(depth)}`;

const rows: Row[] = [
  // A pack may not make the install run its code: no install-time scripts, no package-manager files.
  {
    name: "a pack whose package.json has a preinstall script is refused before anything is written or installed",
    args: ["x", "--yes", "--no-git", "--template", "./pk"],
    setup: (sandbox) =>
      files(sandbox.at("pk"), {
        "base/package.json.hbs": JSON.stringify({ name: "x", version: "1.0.0", scripts: { preinstall: "touch ../../pwned" } }),
      }),
    code: 2,
    message: /"preinstall" script, which runs when the package is installed/,
    check: (sandbox) => {
      absent("x")(sandbox);
      assert.ok(!existsSync(path.join(sandbox.root, "pwned")), "the script must not have run");
    },
  },
  {
    name: "a pack that writes .npmrc (npm's git= runs a program) is refused",
    args: PACK,
    setup: (sandbox) => files(sandbox.at("pk"), { "base/_npmrc": "git=/tmp/evil\n" }),
    code: 2,
    message: /writes \.npmrc, which the package manager reads/,
    check: absent("x"),
  },
  {
    name: "a pack that writes .pnpmfile.cjs is refused",
    args: PACK,
    setup: (sandbox) => files(sandbox.at("pk"), { "base/_pnpmfile.cjs": "require('child_process').execSync('touch pwned')\n" }),
    code: 2,
    message: /writes \.pnpmfile\.cjs/,
    check: absent("x"),
  },
  {
    // npm gives a package with binding.gyp and no install script `node-gyp rebuild` as its install script,
    // and gyp runs the commands in <!(...) while it reads the file: code run by the install we start.
    name: "a pack that writes binding.gyp (npm runs node-gyp rebuild on install) is refused",
    args: PACK,
    setup: (sandbox) =>
      files(sandbox.at("pk"), { "base/binding.gyp": "{'targets':[{'target_name':'x','sources':['<!(touch pwned && echo a.c)']}]}\n" }),
    code: 2,
    message: /writes binding\.gyp, which the package manager reads/,
    check: absent("x"),
  },
  // Manifest: validate.pattern and when are untrusted.
  {
    name: "a pack whose default backtracks catastrophically on its own pattern is refused in bounded time",
    args: PACK,
    setup: packWith({
      questions: [{ key: "k", type: "text", message: "k?", default: EVIL_TEXT, validate: { pattern: EVIL_PATTERN, message: "no" } }],
    }),
    code: 2,
    message: /questions\[0\]\.validate\.pattern takes more than 1 s/,
    check: absent("x"),
  },
  {
    name: "an answer that makes a pack's pattern backtrack is refused in bounded time",
    args: [...PACK, "--var", `k=${EVIL_TEXT}`],
    setup: packWith({ questions: [{ key: "k", type: "text", message: "k?", validate: { pattern: EVIL_PATTERN, message: "no" } }] }),
    code: 2,
    message: /Pack question "k".*validate\.pattern takes more than 1 s/,
    check: absent("x"),
  },
  {
    name: "a slow pattern under --json: stdout holds only the failure as JSON",
    args: [...PACK, "--var", `k=${EVIL_TEXT}`, "--json", "--dry-run"],
    setup: packWith({ questions: [{ key: "k", type: "text", message: "k?", validate: { pattern: EVIL_PATTERN, message: "no" } }] }),
    code: 2,
    json: true,
  },
  {
    name: "the same pattern on a harmless answer still works",
    args: [...PACK, "--var", "k=aaaa"],
    setup: packWith({ questions: [{ key: "k", type: "text", message: "k?", validate: { pattern: EVIL_PATTERN, message: "no" } }] }),
    code: 0,
    writes: "x",
  },
  {
    name: "a when condition nested 100,000 deep is a usage error, not a stack overflow",
    args: PACK,
    setup: packWith(
      `{"questions":[{"key":"k","type":"text","message":"m","default":"d","when":${nested(100_000, '{"var":"target","equals":"express"}')}}]}`,
    ),
    code: 2,
    message: /nests conditions more than 32 deep/,
    check: absent("x"),
  },
  {
    name: "a when condition nested 30 deep still works",
    args: PACK,
    setup: packWith(
      `{"questions":[{"key":"k","type":"text","message":"m","default":"d","when":${nested(30, '{"var":"target","equals":"express"}')}}]}`,
    ),
    code: 0,
    writes: "x",
  },

  // Tarballs, read by our own reader: only files and folders, all inside, each path one thing.
  ...(
    [
      [
        "a file that is also a folder",
        [
          { name: "package/base/a", body: "x" },
          { name: "package/base/a/b", body: "y" },
        ],
        /base\/a" is both a file and a folder/,
      ],
      [
        "a folder entry over a file",
        [
          { name: "base/a", body: "x" },
          { name: "base/a", type: "5" },
        ],
        /"base\/a" is both a file and a folder/,
      ],
      [
        "a pax path leading out",
        [
          { name: "package/base/NOTE.md", body: "hi" },
          { name: "package/base/a", body: "x", pax: "../../../home/pwned" },
        ],
        /"\.\.\/\.\.\/\.\.\/home\/pwned" would land outside/,
      ],
      [
        "a symbolic link to a private key",
        [
          { name: "package/base/NOTE.md", body: "hi" },
          { name: "package/base/key", type: "2", linkname: "../../home/.ssh/id_rsa" },
        ],
        /is a symbolic link/,
      ],
      [
        "a hard link",
        [
          { name: "package/base/NOTE.md", body: "hi" },
          { name: "package/base/key", type: "1", linkname: "/etc/passwd" },
        ],
        /is a hard link/,
      ],
      ["an absolute path", [{ name: "/tmp/pwned", body: "x" }], /would land outside/],
      [
        "a .git folder hidden behind a ./ segment",
        [{ name: "package/base/./_git/config", body: "[core]\n\tfsmonitor = touch pwned\n" }],
        /into a \.git folder/,
      ],
    ] as const
  ).map(
    ([name, entries, message]): Row => ({
      name: `a .tgz pack with ${name} is refused`,
      args: ["x", ...QUICK, "--template", "./pk.tgz"],
      setup: (sandbox) => writeFileSync(sandbox.at("pk.tgz"), tarball(entries as never)),
      code: 2,
      message,
      check: absent("x"),
    }),
  ),

  // The answers file is untrusted: what it records as "resolved" must not fetch some other pack.
  {
    name: "an answers file whose npm pack resolved to a file: spec is refused before npm runs",
    args: ["again", ...QUICK, "--answers", "made/.create-middleware.json"],
    setup: madeThenEdited((answers, sandbox) => {
      files(sandbox.at("evil"), { "package.json": '{"name":"evil","version":"1.0.0"}', "base/EVIL.md": "evil\n" });
      answers.template = { source: "npm:@acme/pack", resolved: `file:${sandbox.at("evil")}` };
    }),
    code: 2,
    message: /resolved to "file:.*", which is not an npm version like 1\.2\.3/,
    writes: "made",
    check: absent("again"),
  },
  ...(
    [
      [
        "its author holds a line feed (it reaches LICENSE and README.md)",
        (a: any) => (a.answers.author = "Ann\n## Injected"),
        /answers\.author contains the control character U\+000A/,
      ],
      ["its license holds a line feed", (a: any) => (a.answers.license = "MIT\n\nEvil: yes"), /answers\.license contains the control character/],
      ["its license is no SPDX id", (a: any) => (a.answers.license = "MIT; rm -rf ~"), /answers\.license "MIT; rm -rf ~", not an SPDX license id/],
      ["its year is 1e21", (a: any) => (a.answers.year = 1e21), /answers\.year that is not a year/],
      [
        "its createMiddleware version holds an escape sequence",
        (a: any) => (a.createMiddleware = "9.9.9\u001b[2J"),
        /"createMiddleware" .*, not a version/,
      ],
      [
        "its vars have a __proto__ key",
        (a: any) => (a.__text = JSON.stringify(a).replace('"vars":{}', '"vars":{"__proto__":{"polluted":1}}')),
        /answers\.vars has the key "__proto__"/,
      ],
      [
        "its vars nest 100,000 lists deep",
        (a: any) => (a.__text = JSON.stringify(a).replace('"vars":{}', `"vars":{"deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}`)),
        /answers\.vars\.deep must be text/,
      ],
      [
        "an unknown key nests 100,000 deep",
        (a: any) => (a.__text = JSON.stringify({ ...a, junk: 1 }).replace('"junk":1', `"junk":${"[".repeat(100_000)}${"]".repeat(100_000)}`)),
        /nests values more than 32 deep/,
      ],
    ] as const
  ).map(
    ([name, edit, message]): Row => ({
      name: `an answers file is refused when ${name}`,
      args: ["again", ...QUICK, "--answers", "made/.create-middleware.json"],
      setup: madeThenEdited((answers) => void edit(answers)),
      code: 2,
      message,
      writes: "made",
      check: absent("again"),
    }),
  ),
  {
    name: "update on a package whose answers file nests 100,000 deep is a usage error",
    args: ["update", "made", "--force"],
    setup: madeThenEdited(
      (a: any) => (a.__text = JSON.stringify({ ...a, junk: 1 }).replace('"junk":1', `"junk":${"[".repeat(100_000)}${"]".repeat(100_000)}`)),
    ),
    code: 2,
    message: /nests values more than 32 deep/,
    writes: "made",
  },

  ...[
    ["an unknown target", "target", "koa", /\.create-middleware\.json: Unknown target "koa"/],
    ["__proto__ as its schema", "schema", "__proto__", /\.create-middleware\.json: Unknown schema "__proto__"/],
    ["an unknown starter", "starter", "nope", /\.create-middleware\.json: Unknown starter "nope"/],
  ].flatMap(([name, key, value, message]) =>
    [["--dry-run", "--json"], ["--yes"]].map(
      (flags): Row => ({
        name: `update ${flags.join(" ")} on a package whose answers file names ${name as string} is a usage error, not a missing base`,
        args: ["update", "made", "--force", ...flags],
        setup: (sandbox) => {
          const made = spawnSync(process.execPath, [BIN, "made", ...QUICK], { cwd: sandbox.work, encoding: "utf8" });
          assert.equal(made.status, 0, made.stderr);
          const file = sandbox.at("made", ".create-middleware.json");
          const answers = JSON.parse(readFileSync(file, "utf8"));
          answers.answers[key as string] = value;
          writeFileSync(file, JSON.stringify(answers));
        },
        code: 2,
        message: message as RegExp,
        json: flags.includes("--json"),
        writes: "made",
      }),
    ),
  ),

  {
    name: "update on a package whose answers file is a FIFO is refused without blocking",
    args: ["update", "made", "--force"],
    setup: (sandbox) => {
      const made = spawnSync(process.execPath, [BIN, "made", ...QUICK], { cwd: sandbox.work, encoding: "utf8" });
      assert.equal(made.status, 0, made.stderr);
      rmSync(sandbox.at("made", ".create-middleware.json"));
      spawnSync("mkfifo", [sandbox.at("made", ".create-middleware.json")]);
    },
    code: 2,
    message: /\.create-middleware\.json is not a regular file/,
    writes: "made",
  },

  // One rule for every file read from a user's tree (src/system/read-user-file.ts): regular files only, under a
  // size cap, refused by name (exit 2) without blocking. `outdated`'s exit 1 must only mean "an update exists".
  ...(["update made --force", "update made --dry-run", "outdated made", "outdated made --json"] as const).flatMap((command): Row[] => {
    const args = command.split(" ");
    const json = args.includes("--json");
    const made = (sandbox: Sandbox) => {
      const run = spawnSync(process.execPath, [BIN, "made", ...QUICK], { cwd: sandbox.work, encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
    };
    return [
      {
        name: `${command} on a package made without git whose package.json is a FIFO: refused by name, nothing blocks`,
        args,
        json,
        setup: (sandbox) => {
          made(sandbox);
          rmSync(sandbox.at("made", "package.json"));
          spawnSync("mkfifo", [sandbox.at("made", "package.json")]);
        },
        code: 2,
        message: /package\.json is not a regular file/,
        writes: "made",
      },
      ...[2.5, 1.5].map(
        (gigabytes): Row => ({
          name: `${command} on a package with a ${gigabytes} GB README.md: refused by name (exit 2), never read whole`,
          args,
          json,
          setup: (sandbox) => {
            made(sandbox);
            truncateSync(sandbox.at("made", "README.md"), gigabytes * 1024 ** 3); // sparse: no disk used
          },
          code: 2,
          message: /README\.md is larger than 16 MB/,
          writes: "made",
        }),
      ),
    ];
  }),
  ...(
    [
      [
        "a FIFO",
        (sandbox: Sandbox) => void spawnSync("mkfifo", [sandbox.at("big", "answers.json")]),
        "big/answers.json",
        /answers\.json is not a regular file/,
      ],
      ["/dev/zero", () => undefined, "/dev/zero", /\/dev\/zero is not a regular file/],
      [
        "a 3 GB file",
        (sandbox: Sandbox) => (writeFileSync(sandbox.at("big", "answers.json"), ""), truncateSync(sandbox.at("big", "answers.json"), 3 * 1024 ** 3)),
        "big/answers.json",
        /answers\.json is larger than 16 MB/,
      ],
    ] as const
  ).map(
    ([what, place, file, message]): Row => ({
      name: `--answers at ${what}: refused by name (exit 2) without blocking, nothing written`,
      args: ["again", ...QUICK, "--answers", file],
      setup: (sandbox) => {
        mkdirSync(sandbox.at("big"));
        place(sandbox);
      },
      code: 2,
      message,
      writes: "big",
      check: absent("again"),
    }),
  ),

  {
    name: "a pack folder holding a 3 GB file is refused by name (exit 2), never read",
    args: PACK,
    setup: (sandbox) => {
      packWith({ questions: [] })(sandbox);
      writeFileSync(sandbox.at("pk", "base", "big.md"), "");
      truncateSync(sandbox.at("pk", "base", "big.md"), 3 * 1024 ** 3);
    },
    code: 2,
    message: /is larger than 32 MB \(at base\/big\.md\)/,
    writes: "pk",
    check: absent("x"),
  },
  {
    name: "a .tgz pack that is a FIFO is refused by name without blocking",
    args: ["x", ...QUICK, "--template", "./p.tgz"],
    setup: (sandbox) => void spawnSync("mkfifo", [sandbox.at("p.tgz")]),
    code: 2,
    message: /p\.tgz is not a regular file/,
    check: absent("x"),
  },

  // update on a package someone else prepared: a folder that is a link leading out is never read.
  ...[["--dry-run"], ["--dry-run", "--json"], ["--yes"]].map(
    (flags): Row => ({
      name: `update ${flags.join(" ")} on a package whose src/ links outside: the files there are neither read nor written`,
      args: ["update", "made", "--schema", "zod", ...flags],
      setup: (sandbox) => {
        writeFileSync(path.join(sandbox.home, ".gitconfig"), "[user]\n\tname = Ann Lee\n\temail = ann@example.com\n");
        const made = spawnSync(process.execPath, [BIN, "made", "--yes", "--no-install"], {
          cwd: sandbox.work,
          encoding: "utf8",
          env: { ...process.env, HOME: sandbox.home, GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig"), GIT_CONFIG_NOSYSTEM: "1" },
        });
        assert.equal(made.status, 0, made.stderr);
        const secret = path.join(sandbox.home, "secret");
        cpSync(sandbox.at("made", "src"), secret, { recursive: true });
        writeFileSync(path.join(secret, "options.ts"), `${readFileSync(path.join(secret, "options.ts"), "utf8")}// API_TOKEN=s3cr3t\n`);
        rmSync(sandbox.at("made", "src"), { recursive: true });
        symlinkSync(secret, sandbox.at("made", "src"));
        const git = (...args: string[]) =>
          spawnSync("git", args, {
            cwd: sandbox.at("made"),
            env: { ...process.env, HOME: sandbox.home, GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig"), GIT_CONFIG_NOSYSTEM: "1" },
          });
        git("add", "-A");
        git("commit", "-qm", "src is elsewhere");
      },
      code: flags.includes("--yes") ? 1 : 0,
      json: flags.includes("--json"),
      message: /src\/options\.ts/,
      writes: "made",
      check: (_sandbox, result) => assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /s3cr3t/),
    }),
  ),

  // The team config: the same rules as a flag for its text, and vars that are answers.
  {
    name: "a team config that is a FIFO is refused without blocking",
    args: ["x", ...QUICK],
    setup: (sandbox) => void spawnSync("mkfifo", [sandbox.at("create-middleware.config.json")]),
    code: 2,
    message: /create-middleware\.config\.json is not a regular file/,
    check: absent("x"),
  },
  ...(
    [
      ["an author with an escape sequence", '{"author":"Ann\\u001b]0;pwned\\u0007"}', /"author" contains the control character U\+001B/],
      ["vars with a __proto__ key", '{"template":"./pk","vars":{"__proto__":{"a":1}}}', /vars has the key "__proto__"/],
      ["vars nested 100,000 deep", `{"template":"./pk","vars":{"d":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`, /vars\.d must be text/],
    ] as const
  ).map(
    ([name, config, message]): Row => ({
      name: `a team config with ${name} is refused`,
      args: ["x", ...QUICK],
      setup: (sandbox) => {
        packWith({ questions: [] })(sandbox);
        writeFileSync(sandbox.at("create-middleware.config.json"), config);
      },
      code: 2,
      message,
      check: absent("x"),
    }),
  ),
  // Issue 22 row 1: every rendered package.json, not only the root one; nothing from outside the registry.
  ...(
    [
      [
        "workspaces (a workspace's postinstall would run)",
        { workspaces: ["tools/x"] },
        /"workspaces": the package manager would install those folders too/,
      ],
      [
        "a file: dependency",
        { dependencies: { dep: "file:vendor/dep" } },
        /dependency dependencies\["dep"\]: "file:vendor\/dep", which is not from the npm registry/,
      ],
      ["a link: dependency", { devDependencies: { dep: "link:../dep" } }, /devDependencies\["dep"\]: "link:\.\.\/dep"/],
      [
        "a git dependency",
        { dependencies: { dep: "git+https://example.invalid/dep.git" } },
        /"git\+https:\/\/example\.invalid\/dep\.git", which is not from the npm registry/,
      ],
      ["a github: shorthand", { dependencies: { dep: "github:evil/dep" } }, /"github:evil\/dep"/],
      ["a user/repo shorthand", { optionalDependencies: { dep: "evil/dep#main" } }, /"evil\/dep#main"/],
      ["an https tarball", { dependencies: { dep: "https://example.invalid/dep.tgz" } }, /"https:\/\/example\.invalid\/dep\.tgz"/],
      ["a tarball path", { dependencies: { dep: "dep-1.0.0.tgz" } }, /"dep-1\.0\.0\.tgz"/],
      ["an npm: alias to a folder", { dependencies: { dep: "npm:dep@file:../dep" } }, /"npm:dep@file:\.\.\/dep"/],
      ["an override to a folder", { overrides: { lodash: { dep: "file:../dep" } } }, /overrides\["lodash"\]\["dep"\]: "file:\.\.\/dep"/],
      [
        "a packageManager URL",
        { packageManager: "yarn@https://example.invalid/yarn.js" },
        /"packageManager": "yarn@https:\/\/example\.invalid\/yarn\.js"; only a name and version/,
      ],
    ] as const
  ).map(
    ([name, fields, message]): Row => ({
      name: `a pack whose package.json has ${name} is refused before anything is written or installed`,
      args: ["x", "--yes", "--no-git", "--template", "./pk"],
      setup: (sandbox) => files(sandbox.at("pk"), { "base/package.json.hbs": JSON.stringify({ name: "x", version: "1.0.0", ...fields }) }),
      code: 2,
      message,
      check: absent("x"),
    }),
  ),
  {
    name: "a pack that renders a nested package.json with a postinstall script is refused",
    args: ["x", "--yes", "--no-git", "--template", "./pk"],
    setup: (sandbox) =>
      files(sandbox.at("pk"), {
        "base/tools/x/package.json": JSON.stringify({ name: "tx", version: "1.0.0", scripts: { postinstall: "touch ../../../pwned" } }),
      }),
    code: 2,
    message: /gives tools\/x\/package\.json a "postinstall" script/,
    check: (sandbox) => {
      absent("x")(sandbox);
      assert.ok(!existsSync(path.join(sandbox.root, "pwned")), "the script must not have run");
    },
  },
  {
    name: "zero flags: a cloned repo's create-middleware.config.json naming an in-repo pack with a file: dependency is refused",
    args: ["x", "--yes", "--no-git"],
    setup: (sandbox) => {
      files(sandbox.at("pk"), {
        "base/package.json.hbs": JSON.stringify({ name: "x", version: "1.0.0", dependencies: { dep: "file:../pk/vendor/dep" } }),
        "vendor/dep/package.json": JSON.stringify({ name: "dep", version: "1.0.0", scripts: { postinstall: "touch ../../../../pwned" } }),
      });
      writeFileSync(sandbox.at("create-middleware.config.json"), JSON.stringify({ template: "./pk" }));
    },
    code: 2,
    message: /"file:\.\.\/pk\/vendor\/dep", which is not from the npm registry/,
    check: (sandbox) => {
      absent("x")(sandbox);
      assert.ok(!existsSync(path.join(sandbox.root, "pwned")), "the script must not have run");
    },
  },
  {
    name: "a pack with registry ranges, tags, npm: aliases and a packageManager version is accepted",
    args: PACK,
    setup: (sandbox) =>
      files(sandbox.at("pk"), {
        "base/package.json.hbs": JSON.stringify({
          name: "x",
          version: "1.0.0",
          packageManager: "npm@10.9.0",
          dependencies: { a: "^1.2.0", b: "latest", c: "1.x || >=2.1.0 <3", d: "npm:@scope/d@^2" },
          overrides: { a: { b: "$b" } },
        }),
      }),
    code: 0,
    writes: "x",
  },

  // Issue 22 row 7: a huge manifest, many questions, slow patterns: bounded before anything else.
  {
    name: "a 1.9 MB pack.json (150,000 choices) is refused in seconds",
    args: PACK,
    setup: packWith({
      questions: [{ key: "k", type: "select", message: "k?", choices: Array.from({ length: 150_000 }, (_, index) => `c${index}`) }],
    }),
    code: 2,
    message: /pack\.json: is \d+ KB; a pack\.json may be at most 1024 KB/,
    check: absent("x"),
  },
  {
    name: "a select with 5,000 choices is refused (at most 500)",
    args: PACK,
    setup: packWith({ questions: [{ key: "k", type: "select", message: "k?", choices: Array.from({ length: 5_000 }, (_, index) => `c${index}`) }] }),
    code: 2,
    message: /questions\[0\]\.choices lists 5000 choices; at most 500/,
    check: absent("x"),
  },
  {
    name: "1,500 questions are refused (at most 200)",
    args: PACK,
    setup: packWith({ questions: Array.from({ length: 1_500 }, (_, index) => ({ key: `k${index}`, type: "text", message: "m", default: "d" })) }),
    code: 2,
    message: /questions has 1500 questions; a pack may ask at most 200/,
    check: absent("x"),
  },
  {
    name: "150 patterns that each backtrack for a tenth of a second share one 3 s budget",
    args: PACK,
    setup: packWith({
      questions: Array.from({ length: 150 }, (_, index) => ({
        key: `k${index}`,
        type: "text",
        message: "m",
        default: `${"a".repeat(21)}!`,
        validate: { pattern: "^(?:(a+)+$|a+!)$", message: "no" },
      })),
    }),
    code: 2,
    message: /validate\.pattern (made the pack's patterns together take more than 3 s|takes more than 1 s)/,
    check: absent("x"),
  },

  // Issue 22 row 10: nested escaping helpers double their output each time.
  {
    name: "json nested 26 deep in a pack template is a usage error naming the template, not 64 MB written or a crash",
    args: PACK,
    setup: (sandbox) => files(sandbox.at("pk"), { "base/X.md.hbs": `{{json ${"(json ".repeat(25)}name${")".repeat(25)}}}` }),
    code: 2,
    message: /Template team pack\/base\/X\.md\.hbs failed to render: the helper "json" would produce more than 1 MB/,
    check: absent("x"),
  },
  {
    name: "md nested 40 deep (backslashes doubling) is a usage error too",
    args: PACK,
    setup: (sandbox) => files(sandbox.at("pk"), { "base/X.md.hbs": `{{md ${"(md ".repeat(39)}"\\\\"${")".repeat(39)}}}` }),
    code: 2,
    message: /failed to render: the helper "md" would produce more than 1 MB/,
    check: absent("x"),
  },

  // Issue 22 row 13 and issue 24 item 6: tar archives as real tools make them, and corrupt headers.
  {
    name: "a .tgz made with `tar czf p.tgz -C pack .` (a ./ root entry) is accepted",
    args: ["x", ...QUICK, "--template", "./pk.tgz"],
    setup: (sandbox) => {
      files(sandbox.at("pack"), { "base/NOTE.md": "from the pack\n", "pack.json": "{}" });
      const made = spawnSync("tar", ["czf", sandbox.at("pk.tgz"), "-C", sandbox.at("pack"), "."]);
      assert.equal(made.status, 0, String(made.stderr));
    },
    code: 0,
    writes: "x",
    check: (sandbox) => assert.equal(readFileSync(sandbox.at("x", "NOTE.md"), "utf8"), "from the pack\n"),
  },
  {
    name: "a .tgz whose ./ entries lead out with ./../ is still refused",
    args: ["x", ...QUICK, "--template", "./pk.tgz"],
    setup: (sandbox) =>
      writeFileSync(
        sandbox.at("pk.tgz"),
        tarball([
          { name: "./", type: "5" },
          { name: "./base/NOTE.md", body: "hi" },
          { name: "./../pwned", body: "x" },
        ]),
      ),
    code: 2,
    message: /"\.\/\.\.\/pwned" would land outside/,
    check: absent("x"),
  },
  {
    name: "a .tgz with a non-octal size field is refused, not cut short at that entry",
    args: ["x", ...QUICK, "--template", "./pk.tgz"],
    setup: (sandbox) => {
      const archive = gunzipSync(
        tarball([
          { name: "base/NOTE.md", body: "hi" },
          { name: "base/LATER.md", body: "later" },
        ]),
      );
      const second = archive.subarray(1024, 1536);
      second.write("zzzzzzzzzzz\0", 124);
      second.write("        ", 148);
      const sum = second.reduce((total, byte) => total + byte, 0);
      second.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
      writeFileSync(sandbox.at("pk.tgz"), gzipSync(archive));
    },
    code: 2,
    message: /cannot be read: it is not a valid tar archive \(the number field "zzzzzzzzzzz" is not octal\)/,
    check: absent("x"),
  },

  // Issue 22 row 13: the workflow template init writes never pastes pack.json text into a shell script.
  {
    name: "template init's check.yml passes the version spec through env:, and a crafted engines range fails the step without running",
    args: ["template", "init", "pk"],
    code: 0,
    writes: "pk",
    check: (sandbox) => {
      const workflow = readFileSync(sandbox.at("pk", ".github", "workflows", "check.yml"), "utf8");
      const scripts = workflow.split(/\n(?=\s*- )/).filter((step) => /^\s*- (?:name:[^\n]*\n\s*(?:id:[^\n]*\n\s*)?)?run:/.test(step));
      assert.ok(scripts.length >= 2);
      for (const step of scripts)
        assert.doesNotMatch(step.slice(0, step.search(/\n\s*env:|$/)), /\$\{\{/, `an expression inside a run: script\n${step}`);
      const rangeLine = workflow
        .split("\n")
        .find((line) => line.includes("range=$(node"))!
        .trim();
      writeFileSync(sandbox.at("pk", "pack.json"), JSON.stringify({ engines: { "create-middleware": '>=1.0.0" && touch pwned && echo "' } }));
      const output = path.join(sandbox.root, "github-output");
      const step = spawnSync("bash", ["-eo", "pipefail", "-c", `${rangeLine}\necho "spec=x@$range" >> "$GITHUB_OUTPUT"`], {
        cwd: sandbox.at("pk"),
        env: { ...process.env, GITHUB_OUTPUT: output },
        encoding: "utf8",
      });
      assert.notEqual(step.status, 0, "a range that is not >=x.y.z fails the step");
      assert.ok(!existsSync(sandbox.at("pk", "pwned")) && !existsSync(output), "nothing ran, nothing was output");
    },
  },

  // Issue 22 row 5: credentials in a git source are never printed or recorded.
  ...[
    ["userinfo", `https://ann:${SECRET}@127.0.0.1:9/pack.git`, /Could not fetch the template pack "https:\/\/127\.0\.0\.1:9\/pack\.git"/],
    [
      "a query token",
      `https://127.0.0.1:9/pack.git?private_token=${SECRET}`,
      /Could not fetch the template pack "https:\/\/127\.0\.0\.1:9\/pack\.git\?private_token=\*\*\*"/,
    ],
  ].flatMap(([name, source, message]) =>
    [[], ["--json"]].map(
      (flags): Row => ({
        name: `a failing git source with ${name as string}${flags.length ? " under --json" : ""}: the secret is in neither the message nor the command line shown`,
        args: ["x", ...QUICK, ...flags, "--template", source as string],
        code: 1,
        message: message as RegExp,
        json: flags.length > 0,
        check: (sandbox, result) => {
          leaksNoSecret(sandbox, result);
          assert.match(result.stderr, /`git clone --bare/);
          absent("x")(sandbox);
        },
      }),
    ),
  ),

  // Issue 22 row 6: the 64 MB budget holds while git archive streams, not after it wrote everything.
  {
    name: "a git pack of 80 MB of zeros (a few hundred KB in git) is stopped while git archive streams",
    args: (sandbox) => ["x", ...QUICK, "--template", gitPackSource(sandbox)],
    setup: (sandbox) =>
      void bareRepo(sandbox, "gp", GIT_PACK, (tree) => writeFileSync(path.join(tree, "base", "big.bin"), Buffer.alloc(80 * 1024 * 1024))),
    timeoutMs: 90_000,
    code: 2,
    message: /is refused: it unpacks to more than 64 MB \(git archive was stopped there\)/,
    check: (sandbox) => {
      absent("x")(sandbox);
      assert.deepEqual(readdirSync(path.join(sandbox.cache, "tmp")), [], "no scratch folder is left");
      assert.ok(!existsSync(path.join(sandbox.cache, "packs", "git")) || readdirSync(path.join(sandbox.cache, "packs", "git")).length === 0);
    },
  },

  // Issue 22 row 13: ssh never prompts.
  {
    name: "an ssh git source runs ssh with BatchMode=yes, so it can never prompt for a host key or passphrase",
    args: ["x", ...QUICK, "--template", "ssh://git@example.invalid/acme/pack.git"],
    setup: (sandbox) => {
      const bin = path.join(sandbox.home, "bin");
      mkdirSync(bin);
      writeFileSync(
        path.join(bin, "ssh"),
        `#!/bin/sh\nprintf '%s\\n' "$@" > "${sandbox.at("ssh-args")}"\necho "ssh stand-in: no network" >&2\nexit 255\n`,
        { mode: 0o755 },
      );
    },
    env: (sandbox) => ({
      PATH: `${path.join(sandbox.home, "bin")}${path.delimiter}${process.env.PATH}`,
      GIT_SSH_COMMAND: undefined,
      GIT_SSH: undefined,
    }),
    code: 1,
    message: /Could not fetch the template pack "ssh:\/\/git@example\.invalid\/acme\/pack\.git"/,
    writes: "ssh-args",
    check: (sandbox) => assert.match(readFileSync(sandbox.at("ssh-args"), "utf8"), /^-o\nBatchMode=yes$/m),
  },

  // Issue 22 rows 9 and 13: the pack cache is trusted only as far as it is ours and undamaged.
  {
    name: "a pack cache folder anyone can write is refused before a pack is read from it",
    args: (sandbox) => ["x", ...QUICK, "--template", gitPackSource(sandbox)],
    setup: (sandbox) => {
      bareRepo(sandbox, "gp", GIT_PACK);
      mkdirSync(sandbox.cache);
      chmodSync(sandbox.cache, 0o777);
    },
    code: 2,
    message: /The pack cache is not safe to use: .*cache can be written by anyone \(mode 777\)/,
    check: absent("x"),
  },
  ...(isRoot
    ? [
        {
          name: "a pack cache folder owned by another user is refused",
          args: (sandbox: Sandbox) => ["x", ...QUICK, "--template", gitPackSource(sandbox)],
          setup: (sandbox: Sandbox) => {
            bareRepo(sandbox, "gp", GIT_PACK);
            mkdirSync(sandbox.cache, { mode: 0o700 });
            chownSync(sandbox.cache, 65534, 65534);
          },
          code: 2,
          message: /The pack cache is not safe to use: .*cache belongs to another user \(uid 65534\)/,
          check: absent("x"),
        } satisfies Row,
      ]
    : []),
  {
    name: "a pack planted in the cache under the real commit is not used: the pack is fetched again",
    args: (sandbox) => ["x", ...QUICK, "--template", gitPackSource(sandbox)],
    setup: fetchedThenDamaged((cached) => writeFileSync(path.join(cached, "base", "NOTE.md"), "planted\n")),
    code: 0,
    writes: "x",
    check: (sandbox) => assert.equal(readFileSync(sandbox.at("x", "NOTE.md"), "utf8"), "from the git pack\n"),
  },
  {
    name: "a damaged cache entry (its base/ gone) is fetched again, not blamed on the pack",
    args: (sandbox) => ["x", ...QUICK, "--template", gitPackSource(sandbox)],
    setup: fetchedThenDamaged((cached) => rmSync(path.join(cached, "base"), { recursive: true })),
    code: 0,
    writes: "x",
    check: (sandbox) => assert.equal(readFileSync(sandbox.at("x", "NOTE.md"), "utf8"), "from the git pack\n"),
  },
  {
    name: "--offline with a changed cache entry says the cached copy is damaged (exit 1), and uses none of it",
    args: (sandbox) => ["x", ...QUICK, "--offline", "--template", gitPackSource(sandbox)],
    setup: fetchedThenDamaged((cached) => writeFileSync(path.join(cached, "base", "NOTE.md"), "planted\n")),
    code: 1,
    message:
      /--offline: the cached copy of the template pack ".*gp\.git" \(.*\) is damaged: its files changed since they were fetched\. Run once without --offline/,
    check: absent("x"),
  },
  {
    name: "a pack cache that cannot be written is a clear error (exit 1), not Unexpected error",
    args: (sandbox) => ["x", ...QUICK, "--template", gitPackSource(sandbox)],
    setup: (sandbox) => {
      bareRepo(sandbox, "gp", GIT_PACK);
      writeFileSync(path.join(sandbox.root, "afile"), "a file where a folder should be\n");
    },
    // Root may write anywhere, so "read-only" is a path through a file here: the same error path as EACCES.
    env: (sandbox) => ({ CREATE_MIDDLEWARE_CACHE: path.join(sandbox.root, "afile", "cache") }),
    code: 1,
    message:
      /The pack cache cannot be written: .*afile\/cache \(ENOTDIR\)\. Make it writable or point CREATE_MIDDLEWARE_CACHE at a folder of your own/,
    check: absent("x"),
  },
  // link --force replaces an answers file, never what stands in its place: a link (to a file outside the
  // package) or a FIFO is refused by name (exit 2) before anything is written, the pristine base included
  // (refs/create-middleware/base stays absent: the run leaves .git as it was).
  ...(
    [
      [
        "a symbolic link to a file outside the package",
        (file: string, sandbox: Sandbox) => symlinkSync(path.join(sandbox.root, "home", "victim.json"), file),
      ],
      ["a FIFO", (file: string) => spawnSync("mkfifo", [file])],
    ] as const
  ).map(
    ([what, plant]): Row => ({
      name: `link --force on a package whose answers file is ${what} is refused (exit 2), nothing written, no base recorded`,
      args: ["link", "linked", "--yes", "--force"],
      setup: (sandbox) => {
        files(sandbox.at("linked"), { "package.json": JSON.stringify({ name: "linked", version: "1.0.0", peerDependencies: { express: "^5" } }) });
        writeFileSync(path.join(sandbox.home, "victim.json"), "keep\n");
        const dir = sandbox.at("linked");
        sandboxGit(sandbox, dir, "init", "-q");
        sandboxGit(sandbox, dir, "add", "-A");
        sandboxGit(sandbox, dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
        plant(path.join(dir, ".create-middleware.json"), sandbox);
      },
      code: 2,
      message: /\.create-middleware\.json is not a regular file .*--force replaces only an answers file/,
      check: (sandbox) => {
        assert.equal(readFileSync(path.join(sandbox.home, "victim.json"), "utf8"), "keep\n");
        assert.equal(sandboxGit(sandbox, sandbox.at("linked"), "for-each-ref", "refs/create-middleware/"), "");
      },
    }),
  ),
  // update --pull-request quotes the pack's CHANGELOG.md in the pull request's body: a pack's text, posted by the
  // workflow's bot in every repository made from it. Its @-mentions must not notify anyone (as Dependabot does with
  // release notes), and a changelog of 200 KB must not push the body past GitHub's 65,536 characters (gh, like
  // GitHub, refuses it after the branch was pushed). The stand-in gh refuses such a body as GitHub does.
  {
    name: "update --pull-request with a pack changelog of 200 KB that @-mentions people: the body pings no one and stays under GitHub's limit",
    args: ["update", "made", "--pull-request"],
    setup: (sandbox) => {
      const pack = sandbox.at("pk");
      files(pack, { "base/NOTE.md": "one\n", "pack.json": "{}", "CHANGELOG.md": "# Changelog\n" });
      const identity = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
      const made = spawnSync(process.execPath, [BIN, "made", "--yes", "--no-install", "--template", "./pk"], {
        cwd: sandbox.work,
        encoding: "utf8",
        env: { ...process.env, ...identity, HOME: sandbox.home, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig") },
      });
      assert.equal(made.status, 0, made.stderr);
      const dir = sandbox.at("made");
      // The remote and the stand-in's log live in .git, inside the folder the row may change.
      const remote = path.join(dir, ".git", "remote.git");
      sandboxGit(sandbox, dir, "init", "-q", "--bare", remote);
      sandboxGit(sandbox, dir, "remote", "add", "origin", remote);
      sandboxGit(sandbox, dir, "push", "-q", "origin", "HEAD", "refs/create-middleware/base");
      mkdirSync(path.join(dir, ".git", "stub"));
      writeFileSync(
        path.join(sandbox.root, "gh"),
        [
          "#!/bin/sh",
          'prev=""',
          'for arg in "$@"; do',
          '  if [ "$prev" = "--body-file" ]; then cp "$arg" "$STUB_LOG/body.md"; fi',
          '  prev="$arg"',
          "done",
          'case "$1 $2" in',
          '  "pr list") ;;',
          '  "pr create") if [ "$(wc -m < "$STUB_LOG/body.md")" -gt 65536 ]; then echo "Body is too long (maximum is 65536 characters)" >&2; exit 1; fi; echo "https://github.com/acme/made/pull/1" ;;',
          '  *) echo "unexpected gh call: $*" >&2; exit 1 ;;',
          "esac",
          "",
        ].join("\n"),
      );
      chmodSync(path.join(sandbox.root, "gh"), 0o755);
      const entry = "- Faster start, thanks @alice and @acme/security-team (cc @everyone).\n";
      files(pack, { "base/NOTE.md": "two\n", "CHANGELOG.md": `# Changelog\n\n## Next\n\n${entry.repeat(Math.ceil(200_000 / entry.length))}` });
    },
    env: (sandbox) => ({
      PATH: `${sandbox.root}${path.delimiter}${process.env.PATH}`,
      STUB_LOG: sandbox.at("made", ".git", "stub"),
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    }),
    code: 0,
    message: /Opened https:\/\/github\.com\/acme\/made\/pull\/1/,
    writes: "made",
    check: (sandbox) => {
      const body = readFileSync(sandbox.at("made", ".git", "stub", "body.md"), "utf8");
      assert.ok(body.length <= 65_536, `a body of ${body.length} characters`);
      assert.match(body, /Faster start, thanks/, "the changelog is quoted");
      assert.match(body, /cut/, "and says it was cut");
      // A mention is @ then a login (or org/team) not preceded by a word character: none is left as one.
      assert.doesNotMatch(body, /(^|[^\w`])@(alice|acme\/security-team|everyone)\b/m);
    },
  },
  // An answers file's values reach the terminal in messages (update -i shows them too, preselected): an escape
  // sequence there (OSC 52 writes the clipboard in some terminals, OSC 0 the window title, CSI 2J clears the
  // screen) must reach stderr escaped, never raw, whichever field holds it.
  ...(
    [
      [
        "answers.starter",
        (a: any) => (a.answers.starter = "request-id\u001b[2J"),
        /answers\.starter contains the control character U\+001B \(escape\) at character 11: "request-id\\u001b\[2J"\. Remove it/,
      ],
      [
        "answers.target",
        (a: any) => (a.answers.target = "express\u001b]0;owned\u0007"),
        /answers\.target contains the control character U\+001B \(escape\).*"express\\u001b\]0;owned\\u0007"/,
      ],
      [
        "answers.repository",
        (a: any) => (a.answers.repository = "acme/x\u001b]52;c;cm0gLXJmIH4=\u0007"),
        /answers\.repository contains the control character U\+001B \(escape\).*"acme\/x\\u001b\]52;c;cm0gLXJmIH4=\\u0007"/,
      ],
      [
        "answers.options",
        (a: any) => (a.answers.options = ["limit:number\u001b[8m"]),
        /answers\.options\[0\] contains the control character U\+001B \(escape\).*"limit:number\\u001b\[8m"/,
      ],
    ] as const
  ).flatMap(([field, edit, message]): Row[] =>
    (["update made --dry-run", "outdated made", "again --yes --no-install --no-git --answers made/.create-middleware.json"] as const).map(
      (command): Row => ({
        name: `${command.split(" --")[0]}: an escape sequence in ${field} reaches the terminal escaped, never raw (exit 2)`,
        args: command.split(" "),
        setup: madeThenEdited((answers) => void edit(answers)),
        code: 2,
        message,
        writes: "made",
        check: (sandbox, result) => {
          assert.doesNotMatch(result.stderr + result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
          absent("again")(sandbox);
        },
      }),
    ),
  ),
  // The same for any message quoting untrusted text no check above reaches: JSON.parse's message quotes the
  // start of the text it refused, so a package.json (link adopts a cloned package) or an answers file that is
  // not JSON and holds OSC 52 (writes the clipboard) or OSC 0 (the window title) must be quoted escaped.
  ...(
    [
      ["link p: a package.json", "p/package.json", ["link", "p", "--yes"], /p\/package\.json is not valid JSON \(.*\\u001b\]0;owned\\u0007/],
      [
        "update made: an answers file",
        "made/.create-middleware.json",
        ["update", "made", "--dry-run"],
        /\.create-middleware\.json is not valid JSON \(.*\\u001b\]0;owned\\u0007/,
      ],
    ] as const
  ).map(
    ([name, file, args, message]): Row => ({
      name: `${name} that is not JSON and holds an escape sequence: the parser's quote of it reaches the terminal escaped (exit 2)`,
      args: [...args],
      setup: (sandbox) => {
        if (file.startsWith("made/")) madeThenEdited(() => {})(sandbox);
        mkdirSync(path.dirname(sandbox.at(file)), { recursive: true });
        writeFileSync(sandbox.at(file), `{"name": \u001b]0;owned\u0007 \u001b]52;c;cm0gLXJmIH4=\u0007 }`);
      },
      code: 2,
      message,
      check: (_sandbox, result) => assert.doesNotMatch(result.stderr + result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/),
    }),
  ),
  // link reads the package's package.json as update reads the package's files: a symbolic link in its place
  // (to another package's, or to /proc/self/environ whose start JSON.parse's message would quote) is not followed.
  ...(
    [
      ["another package's package.json outside", (sandbox: Sandbox) => sandbox.at("other", "package.json")],
      ["/proc/self/environ", () => "/proc/self/environ"],
    ] as const
  ).map(
    ([what, target]): Row => ({
      name: `link on a folder whose package.json is a symbolic link to ${what} is refused (exit 2), nothing written`,
      args: ["link", "linked", "--yes"],
      setup: (sandbox) => {
        files(sandbox.at("other"), { "package.json": JSON.stringify({ name: "other", version: "1.0.0", peerDependencies: { express: "^5" } }) });
        mkdirSync(sandbox.at("linked"));
        symlinkSync(target(sandbox), sandbox.at("linked", "package.json"));
      },
      env: () => ({ SECRET_TOKEN: "ghp_never_shown" }),
      code: 2,
      message: /linked\/package\.json is a symbolic link, which is never followed here/,
      check: (_sandbox, result) => assert.doesNotMatch(result.stderr + result.stdout, /SECRET|ghp_/),
    }),
  ),
];

describe("adversarial pack, config, answers and update rows", { concurrency: Math.max(2, Math.min(4, os.availableParallelism())) }, () => {
  for (const row of rows) it(row.name, { timeout: (row.timeoutMs ?? TIMEOUT_MS) + 30_000 }, () => check(row));
});

/** Starts the CLI, resolves with the child once `text` appears on its stderr (or it exits first). */
function startUntil(args: string[], sandbox: Sandbox, text: RegExp, extraEnv: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: sandbox.work,
    env: {
      ...process.env,
      HOME: sandbox.home,
      CREATE_MIDDLEWARE_CACHE: sandbox.cache,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig"),
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const seen = new Promise<boolean>((resolve) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      if (text.test(stderr)) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  return { child, seen, exited, stderr: () => stderr };
}

describe("adversarial pack rows that need a server or a signal", { concurrency: 2 }, () => {
  it("a git source's credentials are not in the refs index; the cache's folders are 0700 and its files 0600; --offline finds it again", {
    timeout: 60_000,
  }, async () => {
    const sandbox = makeSandbox();
    const { bare, commit } = bareRepo(sandbox, "gp", GIT_PACK);
    sandboxGit(sandbox, bare, "update-server-info");
    // git's "dumb" HTTP protocol: the bare repository's files, served as they are.
    const server = createServer((request, response) => {
      const file = path.join(bare, decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname).replace(/^\/gp\.git/, ""));
      if (!file.startsWith(bare) || !existsSync(file) || !lstatSync(file).isFile()) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const source = `git+http://ann:${SECRET}@127.0.0.1:${port}/gp.git#${commit}`;
      const first = await run(["x", ...QUICK, "--json", "--template", source], sandbox);
      assert.equal(first.code, 0, first.stderr);
      leaksNoSecret(sandbox, first);
      assert.doesNotMatch(readFileSync(sandbox.at("x", ".create-middleware.json"), "utf8"), new RegExp(SECRET), "the answers file holds the secret");
      const stored = snapshot(sandbox.cache, () => false);
      assert.ok(
        [...stored.keys()].some((file) => file.startsWith(`refs${path.sep}`)),
        "a ref was recorded",
      );
      for (const [relative, kind] of stored) {
        const file = path.join(sandbox.cache, relative);
        const mode = lstatSync(file).mode & 0o777;
        if (kind === "dir") assert.equal(mode, 0o700, `${relative} is a folder of mode ${mode.toString(8)}`);
        else {
          assert.equal(mode, 0o600, `${relative} is a file of mode ${mode.toString(8)}`);
          assert.doesNotMatch(readFileSync(file, "utf8"), new RegExp(SECRET), `${relative} holds the secret`);
        }
      }
      const offline = await run(["z", ...QUICK, "--offline", "--template", source], sandbox);
      assert.equal(offline.code, 0, offline.stderr);
      assert.equal(readFileSync(sandbox.at("z", "NOTE.md"), "utf8"), "from the git pack\n");
    } finally {
      server.close();
      rmSync(sandbox.root, { recursive: true, force: true });
    }
  });

  it("Ctrl-C while a git pack is fetched removes its scratch folder from the cache and exits 130", { timeout: 60_000 }, async () => {
    const sandbox = makeSandbox();
    try {
      bareRepo(sandbox, "gp", GIT_PACK);
      const started = startUntil(["x", ...QUICK, "--template", gitPackSource(sandbox)], sandbox, /\[test pause\] fetch/, {
        CREATE_MIDDLEWARE_TEST_PAUSE: "fetch",
      });
      assert.ok(await started.seen, `the run reached the fetch\n${started.stderr()}`);
      assert.equal(readdirSync(path.join(sandbox.cache, "tmp")).length, 1, "the scratch folder exists while fetching");
      started.child.kill("SIGINT");
      assert.equal(await started.exited, 130, started.stderr());
      assert.deepEqual(readdirSync(path.join(sandbox.cache, "tmp")), [], "no scratch folder is left");
      absent("x")(sandbox);
    } finally {
      rmSync(sandbox.root, { recursive: true, force: true });
    }
  });

  it("Ctrl-C while a pack's patterns are checked stops the run at once (exit 130)", { timeout: 90_000 }, async (t) => {
    const sandbox = makeSandbox();
    try {
      packWith({
        questions: Array.from({ length: 150 }, (_, index) => ({
          key: `k${index}`,
          type: "text",
          message: "m",
          default: `${"a".repeat(21)}!`,
          validate: { pattern: "^(?:(a+)+$|a+!)$", message: "no" },
        })),
      })(sandbox);
      // The checks take seconds (3 s at most now, 10 s and more before). Ctrl-C a while after the start,
      // later if it landed before the CLI had its handlers (a loaded machine starts slowly: killed, no code).
      for (const delay of [1000, 2000, 3000, 1500]) {
        const started = startUntil([...PACK], sandbox, /never printed/);
        await new Promise((resolve) => setTimeout(resolve, delay));
        const signalled = performance.now();
        started.child.kill("SIGINT");
        const code = await started.exited;
        if (code === null) continue;
        // On a starved machine the 3 s budget can run out before the signal lands: that is the budget
        // working, not this row; try again.
        if (code === 2 && /take more than 3 s/.test(started.stderr())) continue;
        assert.equal(code, 130, started.stderr());
        assert.ok(performance.now() - signalled < 1000, `exited ${Math.round(performance.now() - signalled)} ms after Ctrl-C`);
        absent("x")(sandbox);
        return;
      }
      t.skip("every Ctrl-C landed before the CLI had started, or after the patterns' budget ran out");
    } finally {
      rmSync(sandbox.root, { recursive: true, force: true });
    }
  });
});
