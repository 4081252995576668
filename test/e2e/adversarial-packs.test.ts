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
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
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
  /** Under --json: stdout is one JSON document on success, empty on failure. */
  json?: boolean;
  /** A path under work/ the run may create or change. */
  writes?: string;
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

function run(args: string[], sandbox: Sandbox): Promise<Result> {
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
    }, TIMEOUT_MS);
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
      relative === "cache" || relative.startsWith(`cache${path.sep}`) || (target !== undefined && (relative === target || relative.startsWith(target + path.sep)));
    const before = snapshot(sandbox.root, skip);
    const result = await run(args, sandbox);
    const output = `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
    assert.ok(!result.hung, `hung (killed after ${TIMEOUT_MS} ms)\n${output}`);
    assert.ok(!CRASH.test(result.stderr), `crashed\n${output}`);
    assert.deepEqual([...snapshot(sandbox.root, skip)], [...before], `changed files outside the target\n${output}`);
    assert.equal(result.code, row.code, `exit code\n${output}`);
    if (row.message) assert.match(`${result.stderr}\n${result.code === 0 ? result.stdout : ""}`, row.message, output);
    if (row.json) {
      if (result.code === 0) assert.doesNotThrow(() => JSON.parse(result.stdout), `stdout is JSON only\n${output}`);
      else assert.equal(result.stdout, "", `stdout is empty on failure under --json\n${output}`);
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

const absent = (...parts: string[]) => (sandbox: Sandbox) => assert.ok(!existsSync(sandbox.at(...parts)), `${parts.join("/")} must not exist`);
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
    setup: (sandbox) => files(sandbox.at("pk"), { "base/binding.gyp": "{'targets':[{'target_name':'x','sources':['<!(touch pwned && echo a.c)']}]}\n" }),
    code: 2,
    message: /writes binding\.gyp, which the package manager reads/,
    check: absent("x"),
  },
  // Manifest: validate.pattern and when are untrusted.
  {
    name: "a pack whose default backtracks catastrophically on its own pattern is refused in bounded time",
    args: PACK,
    setup: packWith({ questions: [{ key: "k", type: "text", message: "k?", default: EVIL_TEXT, validate: { pattern: EVIL_PATTERN, message: "no" } }] }),
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
    name: "a slow pattern under --json: stdout stays empty",
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
    setup: packWith(`{"questions":[{"key":"k","type":"text","message":"m","default":"d","when":${nested(100_000, '{"var":"target","equals":"express"}')}}]}`),
    code: 2,
    message: /nests conditions more than 32 deep/,
    check: absent("x"),
  },
  {
    name: "a when condition nested 30 deep still works",
    args: PACK,
    setup: packWith(`{"questions":[{"key":"k","type":"text","message":"m","default":"d","when":${nested(30, '{"var":"target","equals":"express"}')}}]}`),
    code: 0,
    writes: "x",
  },

  // Tarballs, read by our own reader: only files and folders, all inside, each path one thing.
  ...(
    [
      ["a file that is also a folder", [{ name: "package/base/a", body: "x" }, { name: "package/base/a/b", body: "y" }], /base\/a" is both a file and a folder/],
      ["a folder entry over a file", [{ name: "base/a", body: "x" }, { name: "base/a", type: "5" }], /"base\/a" is both a file and a folder/],
      ["a pax path leading out", [{ name: "package/base/NOTE.md", body: "hi" }, { name: "package/base/a", body: "x", pax: "../../../home/pwned" }], /"\.\.\/\.\.\/\.\.\/home\/pwned" would land outside/],
      ["a symbolic link to a private key", [{ name: "package/base/NOTE.md", body: "hi" }, { name: "package/base/key", type: "2", linkname: "../../home/.ssh/id_rsa" }], /is a symbolic link/],
      ["a hard link", [{ name: "package/base/NOTE.md", body: "hi" }, { name: "package/base/key", type: "1", linkname: "/etc/passwd" }], /is a hard link/],
      ["an absolute path", [{ name: "/tmp/pwned", body: "x" }], /would land outside/],
      ["a .git folder hidden behind a ./ segment", [{ name: "package/base/./_git/config", body: "[core]\n\tfsmonitor = touch pwned\n" }], /into a \.git folder/],
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
      ["its author holds a line feed (it reaches LICENSE and README.md)", (a: any) => (a.answers.author = "Ann\n## Injected"), /answers\.author contains the control character U\+000A/],
      ["its license holds a line feed", (a: any) => (a.answers.license = "MIT\n\nEvil: yes"), /answers\.license contains the control character/],
      ["its license is no SPDX id", (a: any) => (a.answers.license = "MIT; rm -rf ~"), /answers\.license "MIT; rm -rf ~", not an SPDX license id/],
      ["its year is 1e21", (a: any) => (a.answers.year = 1e21), /answers\.year that is not a year/],
      ["its createMiddleware version holds an escape sequence", (a: any) => (a.createMiddleware = "9.9.9\u001b[2J"), /"createMiddleware" .*, not a version/],
      ["its vars have a __proto__ key", (a: any) => (a.__text = JSON.stringify(a).replace('"vars":{}', '"vars":{"__proto__":{"polluted":1}}')), /answers\.vars has the key "__proto__"/],
      ["its vars nest 100,000 lists deep", (a: any) => (a.__text = JSON.stringify(a).replace('"vars":{}', `"vars":{"deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}`)), /answers\.vars\.deep must be text/],
      ["an unknown key nests 100,000 deep", (a: any) => (a.__text = JSON.stringify({ ...a, junk: 1 }).replace('"junk":1', `"junk":${"[".repeat(100_000)}${"]".repeat(100_000)}`)), /nests values more than 32 deep/],
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
    setup: madeThenEdited((a: any) => (a.__text = JSON.stringify({ ...a, junk: 1 }).replace('"junk":1', `"junk":${"[".repeat(100_000)}${"]".repeat(100_000)}`))),
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

  // One rule for every file read from a user's tree (src/read-user-file.ts): regular files only, under a
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
      ["a FIFO", (sandbox: Sandbox) => void spawnSync("mkfifo", [sandbox.at("big", "answers.json")]), "big/answers.json", /answers\.json is not a regular file/],
      ["/dev/zero", () => undefined, "/dev/zero", /\/dev\/zero is not a regular file/],
      ["a 3 GB file", (sandbox: Sandbox) => (writeFileSync(sandbox.at("big", "answers.json"), ""), truncateSync(sandbox.at("big", "answers.json"), 3 * 1024 ** 3)), "big/answers.json", /answers\.json is larger than 16 MB/],
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
        const made = spawnSync(process.execPath, [BIN, "made", "--yes", "--no-install"], { cwd: sandbox.work, encoding: "utf8", env: { ...process.env, HOME: sandbox.home, GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig"), GIT_CONFIG_NOSYSTEM: "1" } });
        assert.equal(made.status, 0, made.stderr);
        const secret = path.join(sandbox.home, "secret");
        cpSync(sandbox.at("made", "src"), secret, { recursive: true });
        writeFileSync(path.join(secret, "options.ts"), `${readFileSync(path.join(secret, "options.ts"), "utf8")}// API_TOKEN=s3cr3t\n`);
        rmSync(sandbox.at("made", "src"), { recursive: true });
        symlinkSync(secret, sandbox.at("made", "src"));
        const git = (...args: string[]) => spawnSync("git", args, { cwd: sandbox.at("made"), env: { ...process.env, HOME: sandbox.home, GIT_CONFIG_GLOBAL: path.join(sandbox.home, ".gitconfig"), GIT_CONFIG_NOSYSTEM: "1" } });
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
];

describe("adversarial pack, config, answers and update rows", { concurrency: Math.max(2, Math.min(4, os.availableParallelism())) }, () => {
  for (const row of rows) it(row.name, { timeout: TIMEOUT_MS + 10_000 }, () => check(row));
});
