/**
 * The adversarial suite: the built CLI against hostile template packs, signals, closed streams, full and
 * read-only disks, and bad input (CONTRIBUTING.md, "The test tiers"). One row per case: the arguments, the directory state
 * (a setup on a sandbox that holds the user's own files: a home with ~/.ssh, a work folder with notes and
 * an existing project), an optional signal or fault, the expected exit code and message. Every row also
 * checks what no row may do: crash (a stack trace or "Unexpected error"), hang, leave a staging folder or
 * temporary file behind, or change any of the user's files outside the row's target (a snapshot of the
 * whole sandbox before and after). The last test prints the counts by group.
 *
 * CM_BIN=<path to a bin/create-middleware.cjs> runs the rows against another build (for instance main's,
 * to see which rows a fix turned green).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
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
import { after, describe, it } from "node:test";
import { BIN } from "../helpers/cli.js";

const CLI = process.env.CM_BIN ?? BIN;
const QUICK = ["--yes", "--no-install", "--no-git"];
const TIMEOUT_MS = 30_000;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

type Group = "hostile pack" | "signal" | "fault" | "directory" | "stream" | "flag" | "name" | "text" | "option" | "check" | "template init";

interface Sandbox {
  /** Holds home/ and work/; snapshotted whole. */
  root: string;
  home: string;
  /** The current folder of the run. */
  work: string;
  /** A path inside work/. */
  at(...parts: string[]): string;
  /** Mount points to unmount when the row is done. */
  mounts: string[];
}

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

interface Row {
  group: Group;
  name: string;
  args: string[];
  /** The directory state before the run. Return a string to skip the row with that reason. */
  setup?: (sandbox: Sandbox) => void | string;
  env?: NodeJS.ProcessEnv;
  /** A real signal, sent when the run reaches a pause point of the writer (CREATE_MIDDLEWARE_TEST_PAUSE). */
  signal?: { at: "write" | "force" | "written"; name: "SIGINT" | "SIGTERM" | "SIGHUP" };
  /** A closed stream: its reader goes away before the run writes anything. */
  closed?: Array<"stdout" | "stderr">;
  /** Run as an unprivileged user (to get EACCES when the suite runs as root). */
  unprivileged?: boolean;
  code: number;
  /** Matched against stderr (and stdout for successful runs). */
  message?: RegExp;
  /** Under --json: stdout must be one JSON document: the report on success, the failure ({ ok: false, error }) otherwise. */
  json?: boolean;
  /** Path relative to work/ that the run may create or fill; nothing else may change. */
  writes?: string;
  /** With `writes` on an existing folder: its pre-existing files that may be replaced (the rest must not change). */
  mayReplace?: string[];
  /** Further checks. */
  check?: (sandbox: Sandbox, result: Result) => void;
}

// ---------------------------------------------------------------------------------------------------------
// The sandbox and its snapshot

function makeSandbox(): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), "cm-adversarial-"));
  const home = path.join(root, "home");
  const work = path.join(root, "work");
  mkdirSync(path.join(home, ".ssh"), { recursive: true });
  writeFileSync(path.join(home, ".ssh", "id_rsa"), "-----BEGIN PRIVATE KEY-----\nsecret\n");
  writeFileSync(path.join(home, ".gitconfig"), '[user]\n\tname = "Ann # Lee"\n\temail = ann@example.com\n');
  writeFileSync(path.join(home, "notes.md"), "my notes\n");
  mkdirSync(path.join(work, "existing", "src"), { recursive: true });
  writeFileSync(path.join(work, "notes.txt"), "do not touch\n");
  writeFileSync(path.join(work, "existing", "README.md"), "my readme\n");
  writeFileSync(path.join(work, "existing", "src", "app.js"), "console.log('mine');\n");
  writeFileSync(path.join(work, "existing", "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
  return { root, home, work, at: (...parts) => path.join(work, ...parts), mounts: [] };
}

function removeSandbox(sandbox: Sandbox): void {
  for (const mount of sandbox.mounts.reverse()) spawnSync("umount", ["-l", mount]);
  try {
    chmodTree(sandbox.root);
  } catch {
    // best effort
  }
  rmSync(sandbox.root, { recursive: true, force: true });
}

function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) chmodTree(path.join(dir, entry.name));
  }
}

type Snapshot = Map<string, string>;

/** Every entry under `root`: type, mode, size and a hash of the contents, or a link's target. */
function snapshot(root: string): Snapshot {
  const entries: Snapshot = new Map();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      entries.set(path.relative(root, dir), "unreadable");
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const relative = path.relative(root, file);
      const info = lstatSync(file);
      if (info.isSymbolicLink()) entries.set(relative, `link ${readlinkSync(file)}`);
      else if (info.isDirectory()) {
        entries.set(relative, `dir ${(info.mode & 0o7777).toString(8)}`);
        walk(file);
      } else if (info.isFile()) {
        let digest = "unreadable";
        try {
          digest = createHash("sha1").update(readFileSync(file)).digest("hex");
        } catch {
          // a file the user cannot read still counts by its size and mode
        }
        entries.set(relative, `file ${(info.mode & 0o7777).toString(8)} ${info.size} ${digest}`);
      } else entries.set(relative, `special ${(info.mode & 0o7777).toString(8)}`);
    }
  };
  walk(root);
  return entries;
}

/** What changed between two snapshots, as "+ path", "- path", "~ path". */
function changes(before: Snapshot, after: Snapshot): string[] {
  const found: string[] = [];
  for (const [file, state] of before) {
    if (!after.has(file)) found.push(`- ${file}`);
    else if (after.get(file) !== state) found.push(`~ ${file}`);
  }
  for (const file of after.keys()) if (!before.has(file)) found.push(`+ ${file}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Faults that need privileges: a tiny tmpfs for ENOSPC, a read-only one for EROFS

function canMount(): string | undefined {
  if (process.platform !== "linux") return "tmpfs mounts need Linux";
  if (!isRoot) return "mounting a tmpfs needs root";
  const probe = mkdtempSync(path.join(os.tmpdir(), "cm-mount-probe-"));
  try {
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe]);
    if (mounted.status !== 0) return `mount failed: ${String(mounted.stderr).trim() || "not permitted here"}`;
    spawnSync("umount", [probe]);
    return undefined;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const mountProblem = canMount();

/** A tmpfs of `kilobytes` at work/<name>, optionally holding `files`, optionally remounted read-only. */
function tmpfs(
  sandbox: Sandbox,
  name: string,
  kilobytes: number,
  options: { files?: Record<string, string>; fill?: boolean; readOnly?: boolean } = {},
): string | void {
  if (mountProblem) return mountProblem;
  const mountPoint = sandbox.at(name);
  mkdirSync(mountPoint, { recursive: true });
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${kilobytes}k,mode=0755`, "tmpfs", mountPoint]);
  if (mounted.status !== 0) return `mount failed: ${String(mounted.stderr).trim()}`;
  sandbox.mounts.push(mountPoint);
  for (const [file, text] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(mountPoint, file)), { recursive: true });
    writeFileSync(path.join(mountPoint, file), text);
  }
  if (options.fill) {
    // Leave a few kilobytes: enough to create folders and start writing, not enough for a package.
    try {
      writeFileSync(path.join(mountPoint, "ballast"), Buffer.alloc((kilobytes - 12) * 1024));
    } catch {
      // full already
    }
  }
  if (options.readOnly) {
    const remounted = spawnSync("mount", ["-o", "remount,ro", mountPoint]);
    if (remounted.status !== 0) return `remount read-only failed: ${String(remounted.stderr).trim()}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Running one row

const NOBODY = 65534;

function runRow(row: Row, sandbox: Sandbox): Promise<Result> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: sandbox.home,
      XDG_CONFIG_HOME: path.join(sandbox.home, ".config"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: undefined,
      GIT_AUTHOR_NAME: undefined,
      GIT_COMMITTER_NAME: undefined,
      NO_COLOR: undefined,
      FORCE_COLOR: undefined,
      npm_config_user_agent: undefined,
      CREATE_MIDDLEWARE_TEST_PAUSE: row.signal?.at,
      ...row.env,
    };
    const privileges = row.unprivileged && isRoot ? { uid: NOBODY, gid: NOBODY } : {};
    const child = spawn(process.execPath, [CLI, ...row.args], { cwd: sandbox.work, env, stdio: ["ignore", "pipe", "pipe"], ...privileges });
    let stdout = "";
    let stderr = "";
    let hung = false;
    for (const stream of row.closed ?? []) child[stream].destroy();
    if (!row.closed?.includes("stdout")) child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    if (!row.closed?.includes("stderr")) {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (row.signal && stderr.includes(`[test pause] ${row.signal.at}`) && !child.killed) child.kill(row.signal.name);
      });
    }
    // A hang is stopped politely first (so the CLI can clean up what it started), then for good.
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
    }, TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/** What a crash looks like: a stack trace or the catch-all message. */
const CRASH = /Unexpected error|^\s+at .+:\d+:\d+\)?$|node:internal|Error \[ERR_|Cannot read properties|is not a function/m;
/** A staging folder or temporary file of the writer. */
const LEFTOVER = /\.create-middleware-\d+-[a-z0-9]+$/;

interface Tally {
  rows: number;
  passed: number;
  refusals: number;
  crashes: number;
  hangs: number;
  changed: number;
  skipped: number;
}
const tally = new Map<Group, Tally>();
const count = (group: Group) => {
  if (!tally.has(group)) tally.set(group, { rows: 0, passed: 0, refusals: 0, crashes: 0, hangs: 0, changed: 0, skipped: 0 });
  return tally.get(group)!;
};

async function check(row: Row): Promise<void> {
  const sandbox = makeSandbox();
  const counts = count(row.group);
  counts.rows += 1;
  try {
    const skip = row.setup?.(sandbox);
    if (typeof skip === "string") {
      counts.skipped += 1;
      return;
    }
    if (row.unprivileged && isRoot) {
      // The unprivileged user must reach the sandbox; only the row's own folders are closed to it.
      chmodSync(sandbox.root, 0o755);
    }
    const before = snapshot(sandbox.root);
    const result = await runRow(row, sandbox);
    const after = snapshot(sandbox.root);
    const output = `exit ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

    if (result.hung) counts.hangs += 1;
    assert.ok(!result.hung, `hung (killed after ${TIMEOUT_MS} ms)\n${output}`);
    const crashed = CRASH.test(result.stderr);
    if (crashed) counts.crashes += 1;
    assert.ok(!crashed, `crashed\n${output}`);

    // Nothing outside the target changes; inside an existing target, only what the row allows.
    const target = row.writes === undefined ? undefined : path.relative(sandbox.root, sandbox.at(row.writes));
    const inTarget = (file: string) => target !== undefined && (file === target || file.startsWith(target + path.sep));
    const changed = changes(before, after).filter((change) => {
      const file = change.slice(2);
      if (!inTarget(file)) return true;
      if (change.startsWith("+")) return false;
      if (change.startsWith("-")) return true; // nothing the user had is ever deleted
      const relative = path.relative(sandbox.at(row.writes!), path.join(sandbox.root, file));
      return file !== target && !(row.mayReplace ?? []).includes(relative) && !before.get(file)?.startsWith("dir");
    });
    const leftovers = [...after.keys()].filter((file) => LEFTOVER.test(file));
    if (changed.length > 0 || leftovers.length > 0) counts.changed += 1;
    assert.deepEqual(changed, [], `changed the user's files\n${output}`);
    assert.deepEqual(leftovers, [], `left a staging folder or temporary file\n${output}`);

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
    if (row.code !== 0) counts.refusals += 1;
    counts.passed += 1;
  } finally {
    removeSandbox(sandbox);
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

/** A pack at work/pk with the given files. */
const pack = (entries: Record<string, string>) => (sandbox: Sandbox) => files(sandbox.at("pk"), entries);

const absent =
  (...parts: string[]) =>
  (sandbox: Sandbox) =>
    assert.ok(!existsSync(sandbox.at(...parts)), `${parts.join("/")} must not exist`);
const present =
  (...parts: string[]) =>
  (sandbox: Sandbox) =>
    assert.ok(existsSync(sandbox.at(...parts)), `${parts.join("/")} must exist`);
const readText = (sandbox: Sandbox, ...parts: string[]) => readFileSync(sandbox.at(...parts), "utf8");

const LONG = "x".repeat(600);
const PACK = ["x", ...QUICK, "--template", "./pk"];

// ---------------------------------------------------------------------------------------------------------
// The rows

const rows: Row[] = [];
const add = (group: Group, list: Array<Omit<Row, "group">>) => rows.push(...list.map((row) => ({ ...row, group })));

// Security: a pack is untrusted input (item 1: links; item 2: .git; item 3: helpers).
const linkRow = (
  name: string,
  link: string,
  to: (sandbox: Sandbox) => string,
  extra: Record<string, string> = { "express/src/x.ts": "x" },
  args = PACK,
): Omit<Row, "group"> => ({
  name: `a pack with ${name} is refused, naming ${link}`,
  args,
  setup: (sandbox) => {
    files(sandbox.at("pk"), extra);
    mkdirSync(path.dirname(sandbox.at("pk", link)), { recursive: true });
    symlinkSync(to(sandbox), sandbox.at("pk", link));
  },
  code: 2,
  message: new RegExp(`symbolic link: ${link.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.`),
  check: absent("x"),
});
add("hostile pack", [
  linkRow("its base layer linked to ~/.ssh", "base", (s) => path.join(s.home, ".ssh")),
  linkRow("its express layer linked to ~/.ssh", "express", (s) => path.join(s.home, ".ssh"), { "base/a.txt": "a" }),
  linkRow("its schemas folder linked out", "schemas", (s) => s.home),
  linkRow("schemas/zod linked out (used with --schema zod)", "schemas/zod", (s) => path.join(s.home, ".ssh"), { "base/a.txt": "a" }, [
    ...PACK,
    "--schema",
    "zod",
  ]),
  linkRow("schemas/joi linked out (not even the chosen schema)", "schemas/joi", (s) => path.join(s.home, ".ssh")),
  linkRow("a file linked to a private key", "base/id_rsa", (s) => path.join(s.home, ".ssh", "id_rsa")),
  linkRow("a template linked to a private key", "base/key.txt.hbs", (s) => path.join(s.home, ".ssh", "id_rsa")),
  linkRow("a deeply nested folder linked out", "base/src/deep/er/keys", (s) => path.join(s.home, ".ssh")),
  linkRow("a partial linked out", "base/_partials/readme-usage.hbs", (s) => path.join(s.home, "notes.md")),
  linkRow("a dangling link", "base/gone", (s) => path.join(s.root, "nowhere")),
  linkRow("a link that stays inside the pack", "base/again", (s) => s.at("pk", "express")),
  linkRow("a link to the pack itself", "express/loop", (s) => s.at("pk")),
  linkRow("a link to /etc/passwd", "base/passwd", () => "/etc/passwd"),
  linkRow("a relative link out", "base/up", () => "../../../home"),
  linkRow("a pack.json linked out", "pack.json", (s) => path.join(s.home, "notes.md")),
  {
    name: "a pack reached through a link of the user's own is read from its real folder",
    args: ["x", ...QUICK, "--template", "./alias"],
    setup: (sandbox) => {
      files(sandbox.at("pk"), { "base/NOTE.md": "from the pack\n" });
      symlinkSync(sandbox.at("pk"), sandbox.at("alias"));
    },
    code: 0,
    writes: "x",
    check: (sandbox) => assert.equal(readText(sandbox, "x", "NOTE.md"), "from the pack\n"),
  },
  {
    name: "a pack that is a git checkout: its own .git is neither read nor copied",
    args: PACK,
    setup: pack({ ".git/config": "[core]\n\tfsmonitor = touch /tmp/pwned\n", "base/NOTE.md": "n\n" }),
    code: 0,
    writes: "x",
    check: (sandbox) => {
      assert.ok(!existsSync(sandbox.at("x", ".git")));
      assert.ok(existsSync(sandbox.at("x", "NOTE.md")));
    },
  },
  ...[
    ["base/_git/config", ".git/config"],
    ["base/_GIT/config", ".GIT/config"],
    ["base/_Git/HEAD", ".Git/HEAD"],
    ["base/_git/hooks/pre-commit", ".git/hooks/pre-commit"],
    ["express/src/_git/config", "src/.git/config"],
    ["base/_git./config", ".git./config"],
    ["base/_git /config", ".git /config"],
    ["base/GIT~1/config", "GIT~1/config"],
    ["base/_git", ".git"],
    ["base/_git.hbs", ".git"],
    ["base/_g\u200cit/config", ".g\u200cit/config"],
  ].map(
    ([file, output]): Omit<Row, "group"> => ({
      name: `a pack writing ${JSON.stringify(output)} is refused`,
      args: PACK,
      setup: pack({ [file!]: "[core]\n\tfsmonitor = touch /tmp/pwned\n" }),
      code: 2,
      message: /into a \.git folder/,
      check: absent("x"),
    }),
  ),
  ...["base/evil\nname.txt", "base/\u001b[2Jclear.md", "express/src/rlo\u202ests.ts"].map(
    (file): Omit<Row, "group"> => ({
      name: `a pack file named ${JSON.stringify(file)} is refused`,
      args: PACK,
      setup: pack({ [file]: "x" }),
      code: 2,
      message: /may not contain the control character/,
      check: absent("x"),
    }),
  ),
  {
    name: "a pack whose two files differ only in case is refused",
    args: PACK,
    setup: pack({ "base/NOTES.md": "a", "base/notes.md": "b" }),
    code: 2,
    message: /case-insensitive/,
  },
  ...[
    ['{{log "hi"}}', "log"],
    ['{{lookup this "packageName"}}', "lookup"],
    ["{{#with description}}{{log this}}{{/with}}", "log"],
    ['{{exec "touch /tmp/pwned"}}', "exec"],
    ["{{helperMissing}}", "helperMissing"],
    ["{{#blockHelperMissing description}}x{{/blockHelperMissing}}", "blockHelperMissing"],
  ].map(
    ([template, helper]): Omit<Row, "group"> => ({
      name: `a pack calling ${helper} is refused, and stdout under --json holds only the failure`,
      args: [...PACK, "--json", "--dry-run"],
      setup: pack({ "base/NOTE.md.hbs": `${template}\n` }),
      code: 2,
      json: true,
      message: new RegExp(`${helper}`),
    }),
  ),
  {
    name: "a pack reading a prototype property (constructor) fails to render, stdout holds only the failure as JSON",
    args: [...PACK, "--json", "--dry-run"],
    setup: pack({ "base/NOTE.md.hbs": "{{constructor.name}}\n" }),
    code: 2,
    json: true,
    message: /NOTE\.md\.hbs/,
  },
  {
    name: "a pack with a FIFO is refused without blocking",
    args: PACK,
    setup: (sandbox) => {
      files(sandbox.at("pk"), { "base/a.txt": "a" });
      spawnSync("mkfifo", [sandbox.at("pk", "base", "pipe")]);
    },
    code: 2,
    message: /base\/pipe, which is neither a file nor a folder/,
  },
  {
    name: "a pack template with a syntax error names its file",
    args: PACK,
    setup: pack({ "base/README.md.hbs": "{{#if x}}\n" }),
    code: 2,
    message: /team pack\/base\/README\.md\.hbs/,
  },
  {
    name: "a pack whose package.json renders invalid JSON",
    args: PACK,
    setup: pack({ "base/package.json.hbs": "{,}" }),
    code: 2,
    message: /valid JSON/,
  },
  {
    name: "a pack calling a missing partial",
    args: PACK,
    setup: pack({ "base/NOTE.md.hbs": "{{> ../../home/notes}}" }),
    code: 2,
    message: /NOTE\.md\.hbs/,
  },
  {
    name: "a pack that is a file",
    args: PACK,
    setup: (sandbox) => writeFileSync(sandbox.at("pk"), "x"),
    code: 2,
    message: /is a file but not a \.tgz tarball/,
  },
  { name: "a pack without any layer folder", args: PACK, setup: pack({ "README.md": "x" }), code: 2, message: /has none of the folders/ },
  { name: "a pack pointed at ~/.ssh", args: ["x", ...QUICK, "--template", "../home/.ssh"], code: 2, message: /has none of the folders/ },
  { name: "a missing pack", args: ["x", ...QUICK, "--template", "./nope"], code: 2, message: /not found/ },
  {
    name: "a pack path too long for the file system",
    args: ["x", ...QUICK, "--template", `./${"p".repeat(3000)}`],
    code: 2,
    message: /cannot be looked up \(ENAMETOOLONG\)/,
  },
  {
    name: "a well-behaved pack still works, its values escaped",
    args: [...PACK, "-d", 'say "hi" */ `x`'],
    setup: pack({ "base/NOTE.md.hbs": "{{md description}}\n" }),
    code: 0,
    writes: "x",
    check: (sandbox) => assert.equal(readText(sandbox, "x", "NOTE.md"), 'say "hi" \\*/ \\`x\\`\n'),
  },
]);

// Signals (item 4 and 5): an interrupt before the rename leaves nothing; after it, the run says what is on disk.
add("signal", [
  ...(["SIGINT", "SIGTERM"] as const).flatMap(
    (name): Array<Omit<Row, "group">> => [
      {
        name: `${name} while writing a new package: the staging folder is removed, exit 130`,
        args: ["x", ...QUICK],
        signal: { at: "write", name },
        code: 130,
        message: /Interrupted\. Nothing was written: the unfinished copy of \.\/x was removed\./,
        check: absent("x"),
      },
      {
        name: `${name} while writing with --force: none of the user's files changed, exit 130`,
        args: ["existing", ...QUICK, "--force"],
        signal: { at: "force", name },
        code: 130,
        message: /Nothing in \.\/existing was changed/,
      },
      {
        name: `${name} after the rename, before git: says exactly what is on disk and how to finish`,
        args: ["x", "--yes", "--no-install"],
        signal: { at: "written", name },
        code: 130,
        writes: "x",
        message: /complete \(\d+ files\)\.\nNo git repository was created\.\nTo finish: cd \.\/x && git init/,
        check: (sandbox) => {
          assert.ok(existsSync(sandbox.at("x", "package.json")));
          assert.ok(!existsSync(sandbox.at("x", ".git")));
        },
      },
    ],
  ),
  {
    name: "SIGHUP (the terminal closed) while writing a new package: nothing left, exit 130",
    args: ["x", ...QUICK],
    signal: { at: "write", name: "SIGHUP" },
    code: 130,
    message: /Nothing was written/,
    check: absent("x"),
  },
  {
    name: "SIGHUP while writing with --force: none of the user's files changed",
    args: ["existing", ...QUICK, "--force"],
    signal: { at: "force", name: "SIGHUP" },
    code: 130,
    message: /Nothing in \.\/existing was changed/,
  },
  {
    name: "SIGINT after the rename, before the install: the install is named as not done",
    args: ["x", "--yes", "--install"],
    signal: { at: "written", name: "SIGINT" },
    code: 130,
    writes: "x",
    message: /Its dependencies were not installed\.[\s\S]*To finish: cd \.\/x && npm install && git init/,
  },
  {
    name: "SIGTERM after the rename with neither install nor git: the package is complete, nothing to finish",
    args: ["x", ...QUICK, "--json"],
    signal: { at: "written", name: "SIGTERM" },
    code: 130,
    writes: "x",
    json: true,
    message: /complete \(\d+ files\)\.\n*$/,
  },
  {
    name: "SIGINT while writing a scoped package: nothing left",
    args: ["@acme/x", ...QUICK],
    signal: { at: "write", name: "SIGINT" },
    code: 130,
    check: absent("x"),
  },
  {
    name: "SIGINT while writing into new nested folders: the parent folders made for it are removed too",
    args: ["a/b/c/x", ...QUICK],
    signal: { at: "write", name: "SIGINT" },
    code: 130,
    check: absent("a"),
  },
  {
    name: "SIGINT while filling an empty folder: it stays empty",
    args: ["empty", ...QUICK],
    setup: (sandbox) => void mkdirSync(sandbox.at("empty")),
    signal: { at: "force", name: "SIGINT" },
    code: 130,
  },
  {
    name: "SIGINT during template init: nothing left, and a rerun succeeds",
    args: ["template", "init", "tp"],
    signal: { at: "write", name: "SIGINT" },
    code: 130,
    message: /Nothing was written/,
    check: (sandbox) => {
      assert.ok(!existsSync(sandbox.at("tp")));
      const again = spawnSync(process.execPath, [CLI, "template", "init", "tp"], { cwd: sandbox.work, encoding: "utf8" });
      assert.equal(again.status, 0, again.stderr);
      rmSync(sandbox.at("tp"), { recursive: true });
    },
  },
  {
    name: "SIGTERM during template init into an empty folder: it stays empty",
    args: ["template", "init", "tp"],
    setup: (sandbox) => void mkdirSync(sandbox.at("tp")),
    signal: { at: "force", name: "SIGTERM" },
    code: 130,
  },
]);

// Faults: full and read-only disks, permissions, things in the way (item 6).
add("fault", [
  {
    name: "a full disk (ENOSPC) while writing a new package: a clean message naming the user's path, nothing left",
    args: ["full/x", ...QUICK],
    setup: (sandbox) => tmpfs(sandbox, "full", 64, { fill: true }),
    code: 1,
    message: /Could not write \.\/full\/x\/\S+: no space left on the device \(ENOSPC\)\. Nothing was written\./,
    check: (sandbox) => assert.deepEqual(readdirSync(sandbox.at("full")), ["ballast"]),
  },
  {
    name: "a full disk in a new nested path: no empty parent folders left",
    args: ["full/a/b/x", ...QUICK],
    setup: (sandbox) => tmpfs(sandbox, "full", 64, { fill: true }),
    code: 1,
    message: /ENOSPC/,
    check: (sandbox) => assert.deepEqual(readdirSync(sandbox.at("full")), ["ballast"]),
  },
  {
    name: "a full disk with --force: none of the user's files replaced, the message says so",
    args: ["full/proj", ...QUICK, "--force"],
    setup: (sandbox) => tmpfs(sandbox, "full", 64, { files: { "proj/README.md": "my readme\n", "proj/keep.txt": "keep\n" }, fill: true }),
    code: 1,
    message: /no space left on the device \(ENOSPC\)\. Nothing in \.\/full\/proj was changed\./,
    check: (sandbox) => assert.deepEqual(readdirSync(sandbox.at("full", "proj")).sort(), ["README.md", "keep.txt"]),
  },
  {
    name: "a full disk during template init: nothing left",
    args: ["template", "init", "full/tp"],
    setup: (sandbox) => tmpfs(sandbox, "full", 64, { fill: true }),
    code: 1,
    message: /ENOSPC/,
    check: (sandbox) => assert.deepEqual(readdirSync(sandbox.at("full")), ["ballast"]),
  },
  {
    name: "a read-only file system (EROFS): a clean message",
    args: ["ro/x", ...QUICK],
    setup: (sandbox) => tmpfs(sandbox, "ro", 64, { readOnly: true }),
    code: 1,
    message: /read-only \(EROFS\)/,
  },
  {
    name: "a read-only file system with --force: nothing changed",
    args: ["ro/proj", ...QUICK, "--force"],
    setup: (sandbox) => tmpfs(sandbox, "ro", 64, { files: { "proj/README.md": "mine\n" }, readOnly: true }),
    code: 1,
    message: /read-only \(EROFS\)\. Nothing in \.\/ro\/proj was changed/,
  },
  {
    name: "no permission to create the folder (EACCES)",
    args: ["locked/x", ...QUICK],
    unprivileged: true,
    setup: (sandbox) => {
      mkdirSync(sandbox.at("locked"));
      chmodSync(sandbox.at("locked"), 0o555);
    },
    code: 1,
    message: /permission denied \(EACCES\)/,
  },
  {
    name: "no permission to write into an existing folder with --force: nothing changed",
    args: ["locked", ...QUICK, "--force"],
    unprivileged: true,
    setup: (sandbox) => {
      files(sandbox.at("locked"), { "README.md": "mine\n" });
      chmodSync(sandbox.at("locked"), 0o555);
    },
    code: 1,
    message: /permission denied \(EACCES\)\. Nothing in \.\/locked was changed/,
  },
  {
    name: "no permission to read the target folder",
    args: ["secret", ...QUICK],
    unprivileged: true,
    setup: (sandbox) => {
      files(sandbox.at("secret"), { "a.txt": "a" });
      chmodSync(sandbox.at("secret"), 0o311);
    },
    code: 1,
    message: /permission denied \(EACCES\)/,
  },
  {
    name: "a directory name too long for the file system",
    args: ["y".repeat(300), ...QUICK, "--name", "short"],
    code: 1,
    message: /name is too long for the file system \(ENAMETOOLONG\)/,
  },
  { name: "the parent path is a file", args: ["notes.txt/x", ...QUICK], code: 1, message: /a part of its path is a file/ },
  { name: "the target is a file", args: ["notes.txt", ...QUICK], code: 1, message: /exists and is not a directory/ },
  {
    name: "--force where a package file's place holds a folder",
    args: ["existing", ...QUICK, "--force"],
    setup: (sandbox) => void mkdirSync(sandbox.at("existing", "package.json")),
    code: 1,
    message: /package\.json: it exists and is not a regular file/,
  },
  {
    name: "--force where src is a file, not a folder: refused, nothing written",
    args: ["existing3", ...QUICK, "--force"],
    setup: (sandbox) => files(sandbox.at("existing3"), { src: "my notes, not a folder\n" }),
    code: 1,
    message: /src exists and is not a folder/,
  },
  {
    name: "--force where test/ holds a file in place of a nested folder the package needs",
    args: ["existing4", ...QUICK, "--force"],
    setup: (sandbox) => files(sandbox.at("existing4"), { ".github": "not a folder\n" }),
    code: 1,
    message: /\.github exists and is not a folder/,
  },
  {
    name: "--force where src/ is a link out of the folder: nothing written there",
    args: ["existing2", ...QUICK, "--force"],
    setup: (sandbox) => {
      files(sandbox.at("existing2"), { "README.md": "mine\n" });
      symlinkSync(sandbox.home, sandbox.at("existing2", "src"));
    },
    code: 1,
    message: /leads outside/,
  },
  {
    name: "--force where src/index.ts is a link to a file of the user's: refused",
    args: ["existing", ...QUICK, "--force"],
    setup: (sandbox) => symlinkSync(path.join(sandbox.home, "notes.md"), sandbox.at("existing", "src", "index.ts")),
    code: 1,
    message: /src\/index\.ts: it exists and is not a regular file/,
  },
  {
    name: "a dangling link where the package would go: refused, nothing written",
    args: ["dangling", ...QUICK],
    setup: (sandbox) => symlinkSync(path.join(sandbox.root, "nowhere"), sandbox.at("dangling")),
    code: 1,
    message: /dangling/,
  },
]);

// Directory states.
add("directory", [
  {
    name: "a non-empty folder without --force lists its conflicts",
    args: ["existing", ...QUICK],
    code: 1,
    message: /not empty \(would overwrite: README\.md\)/,
  },
  { name: "the current folder when not empty", args: [".", ...QUICK], code: 1, message: /not empty \(contains: .*notes\.txt/ },
  {
    name: "--dry-run --force into a non-empty folder changes nothing",
    args: ["existing", ...QUICK, "--force", "--dry-run"],
    code: 0,
    message: /Nothing was written/,
  },
  {
    name: "--force replaces only the package's files, keeps the rest and their modes",
    args: ["existing", ...QUICK, "--force"],
    code: 0,
    writes: "existing",
    mayReplace: ["README.md"],
    message: /replaced existing files: README\.md/,
    check: (sandbox) => {
      assert.equal(readText(sandbox, "existing", "src", "app.js"), "console.log('mine');\n");
      assert.equal(lstatSync(sandbox.at("existing", "run.sh")).mode & 0o777, 0o755);
    },
  },
  {
    name: "an empty folder is filled in place",
    args: ["empty", ...QUICK],
    setup: (sandbox) => void mkdirSync(sandbox.at("empty")),
    code: 0,
    writes: "empty",
  },
  { name: "a new nested path is created", args: ["a/b/x", ...QUICK], code: 0, writes: "a", check: present("a", "b", "x", "package.json") },
  { name: "a folder outside the current one, named by the user", args: ["../x", ...QUICK], code: 0, writes: "../x" },
  {
    name: "a link to a non-empty folder of the user's is refused like the folder",
    // Not named "link": that word is the link subcommand now (a package of that name is ./link).
    args: ["home-link", ...QUICK],
    setup: (sandbox) => symlinkSync(sandbox.home, sandbox.at("home-link")),
    code: 1,
    message: /not empty/,
  },
  { name: "the root folder", args: ["/", ...QUICK], code: 2, message: /not a valid npm package name|directory/ },
  { name: "an absolute path to a non-empty folder", args: ["/etc", ...QUICK], code: 1, message: /not empty/ },
]);

// Closed streams and --json (item 8).
add("stream", [
  {
    name: "stdout closed: the run goes on and succeeds",
    args: ["x", ...QUICK],
    closed: ["stdout"],
    code: 0,
    writes: "x",
    check: present("x", "package.json"),
  },
  { name: "stderr closed on a usage error: still exit 2", args: ["x", ...QUICK, "-t", "koa"], closed: ["stderr"], code: 2 },
  { name: "stderr closed on a failure: still exit 1", args: ["existing", ...QUICK], closed: ["stderr"], code: 1 },
  { name: "both closed on a usage error: still exit 2", args: ["x", ...QUICK, "-t", "koa"], closed: ["stdout", "stderr"], code: 2 },
  { name: "stderr closed on success", args: ["x", ...QUICK], closed: ["stderr"], code: 0, writes: "x" },
  { name: "stdout closed with --json --dry-run", args: ["x", ...QUICK, "--json", "--dry-run"], closed: ["stdout"], code: 0 },
  { name: "stdout closed on --help", args: ["--help"], closed: ["stdout"], code: 0 },
  { name: "stdout closed on --version", args: ["--version"], closed: ["stdout"], code: 0 },
  { name: "stdout closed on template init", args: ["template", "init", "tp"], closed: ["stdout"], code: 0, writes: "tp" },
  { name: "stderr closed on an unknown flag", args: ["--colour"], closed: ["stderr"], code: 2 },
  { name: "--json: stdout holds one JSON document", args: ["x", ...QUICK, "--json"], code: 0, json: true, writes: "x" },
  { name: "--json --dry-run: stdout holds one JSON document", args: ["x", ...QUICK, "--json", "--dry-run"], code: 0, json: true },
  {
    name: "--json on a usage error: stdout stays empty",
    args: ["x", ...QUICK, "--json", "-t", "koa"],
    code: 2,
    json: true,
    message: /Unknown target/,
  },
  { name: "--json on a refusal: stdout stays empty", args: ["existing", ...QUICK, "--json"], code: 1, json: true, message: /not empty/ },
]);

// Flags and values looked up by user input (item 7).
add("flag", [
  ...["koa", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "", " ", "express,sio"].map(
    (value): Omit<Row, "group"> => ({
      name: `--target ${JSON.stringify(value)}`,
      args: ["x", ...QUICK, "--target", value],
      code: 2,
      message: /Unknown target|target/,
    }),
  ),
  ...["yup", "constructor", "__proto__", "toString", ""].map(
    (value): Omit<Row, "group"> => ({
      name: `--schema ${JSON.stringify(value)}`,
      args: ["x", ...QUICK, "--schema", value],
      code: 2,
      message: /Unknown schema|schema/,
    }),
  ),
  ...["nope", "constructor", "__proto__", "", ","].map(
    (value): Omit<Row, "group"> => ({
      name: `--starter ${JSON.stringify(value)}`,
      args: ["x", ...QUICK, "--starter", value],
      code: 2,
      message: /starter/i,
    }),
  ),
  { name: "--repo with a control character", args: ["x", ...QUICK, "--repo", "https://example.com/a\nb.git"], code: 2, message: /U\+000A|repo/ },
  ...["deno", "constructor", "__proto__", ""].map(
    (value): Omit<Row, "group"> => ({
      name: `--pm ${JSON.stringify(value)}`,
      args: ["x", ...QUICK, "--pm", value],
      code: 2,
      message: /Unknown package manager|package manager/,
    }),
  ),
  { name: "an unknown flag", args: ["x", "--colour"], code: 2, message: /unknown option '--colour'/ },
  { name: "a flag missing its value", args: ["x", ...QUICK, "--target"], code: 2, message: /argument missing/ },
  { name: "-o missing its value", args: ["x", ...QUICK, "-o"], code: 2, message: /argument missing/ },
  { name: "two directories", args: ["x", "y", ...QUICK], code: 2, message: /too many arguments/ },
  { name: "--name empty", args: ["x", ...QUICK, "--name", ""], code: 2, message: /not a valid npm package name|name/ },
  { name: "--template empty", args: ["x", ...QUICK, "--template", ""], code: 2, message: /template/i },
]);

// Names and directories from the command line (items 9, 10, 11).
add("name", [
  {
    name: "an empty directory argument, even with --force",
    args: ["", "--yes", "--force", "--no-install", "--no-git"],
    code: 2,
    message: /directory argument is empty/,
  },
  { name: "a blank directory argument", args: [" ", ...QUICK], code: 2, message: /directory argument is empty/ },
  ...["@/x", "@a/b/c", "@a/", "@", "@@a/b", "@a//b", "@ a/b", "@a/b/"].map(
    (value): Omit<Row, "group"> => ({
      name: `the malformed scope ${JSON.stringify(value)}`,
      args: [value, ...QUICK],
      code: 2,
      message: /scope|package name/,
    }),
  ),
  ...["Bad Name", "UPPER", "node_modules", "favicon.ico", ".hidden", "_under", "caf\u00e9", "a".repeat(215), "x~y!"].map(
    (value): Omit<Row, "group"> => ({
      name: `the invalid package name ${JSON.stringify(value.slice(0, 40))}`,
      args: [value, ...QUICK],
      code: 2,
      message: /not a valid npm package name/,
    }),
  ),
  ...[
    ["\u0015rate-guard", "U+0015"],
    ["rate\u0001guard", "U+0001"],
    ["tab\there", "U+0009"],
    ["new\nline", "U+000A"],
    ["esc\u001b[31m", "U+001B"],
    ["del\u007f", "U+007F"],
    ["c1\u0085x", "U+0085"],
    ["bidi\u202ex", "U+202E"],
  ].map(
    ([value, code]): Omit<Row, "group"> => ({
      name: `a control character ${code} in the directory`,
      args: [value!, ...QUICK],
      code: 2,
      message: new RegExp(`control character ${code!.replace("+", "\\+")}|${code!.replace("+", "\\+")}`),
      check: (sandbox) => assert.deepEqual(readdirSync(sandbox.work).sort(), ["existing", "notes.txt"]),
    }),
  ),
  { name: "a control character in --name", args: ["x", ...QUICK, "--name", "x\u0007y"], code: 2, message: /U\+0007/ },
  {
    name: "a scoped name creates its last part",
    args: ["@acme/x", ...QUICK],
    code: 0,
    writes: "x",
    check: (s) => assert.match(readText(s, "x", "package.json"), /"name": "@acme\/x"/),
  },
  { name: "a plain nested path names the package after its last part", args: ["a/b", ...QUICK], code: 0, writes: "a" },
  { name: "a leading dash is read as a flag", args: ["-leading", ...QUICK], code: 2, message: /unknown option/ },
]);

// Free text: descriptions and option values (items 11, 12, 14).
add("text", [
  ...[
    ["bell\u0007", "U+0007"],
    ["\u001b[2Jclear", "U+001B"],
    ["line\nbreak", "U+000A"],
    ["carriage\rreturn", "U+000D"],
    ["tab\tbed", "U+0009"],
    ["nak\u0015", "U+0015"],
    ["del\u007f", "U+007F"],
    ["bidi \u202e override", "U+202E"],
    ["isolate \u2066x\u2069", "U+2066"],
    ["line\u2028separator", "U+2028"],
  ].map(
    ([value, code]): Omit<Row, "group"> => ({
      name: `a control character ${code} in the description`,
      args: ["x", ...QUICK, "-d", value!],
      code: 2,
      message: new RegExp(`description.*${code!.replace("+", "\\+")}`),
      check: absent("x"),
    }),
  ),
  { name: "a description of 600 characters", args: ["x", ...QUICK, "-d", LONG], code: 2, message: /longer than 500/ },
  {
    name: "quotes, backticks, */ and ${} in the description reach the files exactly",
    args: ["x", ...QUICK, "-d", 'it\'s "q" */ ${x} `t` <b>'],
    code: 0,
    writes: "x",
    check: (sandbox) => assert.equal(JSON.parse(readText(sandbox, "x", "package.json")).description, 'it\'s "q" */ ${x} `t` <b>'),
  },
  { name: "emoji and accents are fine", args: ["x", ...QUICK, "-d", "caf\u00e9 \u{1F600} \u200d ok"], code: 0, writes: "x" },
  { name: "an empty description", args: ["x", ...QUICK, "-d", ""], code: 0, writes: "x" },
  {
    name: "the author from git config keeps a quoted # (git's own quoting rules)",
    args: ["x", ...QUICK],
    code: 0,
    writes: "x",
    check: (sandbox) => assert.match(readText(sandbox, "x", "LICENSE"), /Ann # Lee/),
  },
  {
    name: "the author from git config: escaped quotes lose their backslashes",
    args: ["x", ...QUICK],
    setup: (sandbox) => writeFileSync(path.join(sandbox.home, ".gitconfig"), '[user]\n\tname = Ann \\"The Hat\\" Lee ; comment\n'),
    code: 0,
    writes: "x",
    check: (sandbox) => assert.match(readText(sandbox, "x", "LICENSE"), /Ann "The Hat" Lee\n/),
  },
  ...[
    ["level:info|debug=info\u0001", "U+0001"],
    ["title:string=a\u0007b", "U+0007"],
    ["tags:string[]=a,\u000bb", "U+000B"],
    ["mode:a\u001bb|c", "U+001B"],
    ["label:string=x\u202ey", "U+202E"],
  ].map(
    ([value, code]): Omit<Row, "group"> => ({
      name: `a control character ${code} in an option spec`,
      args: ["x", ...QUICK, "-o", value!],
      code: 2,
      message: new RegExp(`${code!.replace("+", "\\+")}`),
    }),
  ),
]);

// Option specs (items 7 and 12).
add("option", [
  ...[
    ["max:number=ten", /not a finite number/],
    ["constructor:string", /property of every object|constructor/],
    ["__proto__:string", /__proto__/],
    ["toString:boolean", /toString/],
    ["skip:boolean", /built-in option/],
    ["a:b|b", /twice/],
    ["a:|b", /empty member/],
    ["a:strin", /unknown type/],
    [":string", /identifier/],
    ["a", /no type/],
    ["1a:string", /identifier/],
    ["a:number=Infinity", /finite/],
    ["a:number=1e400", /finite/],
    ["a:number=", /finite/],
    ["a:boolean=yes", /true or false/],
    ["a b:string", /identifier/],
    ["header:string=bad header", /header/],
    ["header:string=", /header/],
    ["header:string=x:y", /header/],
    ["header:string=x\u00e9", /header/],
  ].map(
    ([spec, message]): Omit<Row, "group"> => ({
      name: `-o ${JSON.stringify(spec)}`,
      args: ["x", ...QUICK, "-o", spec as string],
      code: 2,
      message: message as RegExp,
      check: absent("x"),
    }),
  ),
  { name: "the same option twice", args: ["x", ...QUICK, "-o", "x:string", "-o", "x:number"], code: 2, message: /given twice/ },
  { name: "a socket.io built-in as an option", args: ["x", ...QUICK, "-t", "sio", "-o", "verify:string"], code: 2, message: /built-in option/ },
  ...[
    ["header:string=x-fine", "setHeader:boolean=false"],
    ["header:string=X-Ok"],
    ["level:a b|c=c"],
    ['q:a"b|c'],
    ["e:string=*/ evil"],
    ["n:number=-0.5", "tags:string[]=a,b"],
  ].map(
    (specs): Omit<Row, "group"> => ({
      name: `accepted: ${specs.join(" ")}`,
      args: ["x", ...QUICK, ...specs.flatMap((spec) => ["-o", spec])],
      code: 0,
      writes: "x",
    }),
  ),
]);

// check: usage errors before any work (items 7 and 15). None of these may start a real check.
add("check", [
  ...["constructor", "__proto__", ",", " , ", "", "koa", "toString"].map(
    (value): Omit<Row, "group"> => ({
      name: `check --target ${JSON.stringify(value)}`,
      args: ["check", "--target", value],
      code: 2,
      message: /target/i,
    }),
  ),
  ...["__proto__", ",", "yup"].map(
    (value): Omit<Row, "group"> => ({
      name: `check --schema ${JSON.stringify(value)}`,
      args: ["check", "--schema", value],
      code: 2,
      message: /schema/i,
    }),
  ),
  ...["", " ", ",", "constructor", "nope"].map(
    (value): Omit<Row, "group"> => ({
      name: `check --starter ${JSON.stringify(value)}`,
      args: ["check", "--starter", value],
      code: 2,
      message: /starter/i,
    }),
  ),
  { name: "check --reporter ,", args: ["check", "--reporter", ","], code: 2, message: /reporter/ },
  {
    name: "check --target express --target constructor",
    args: ["check", "--target", "express", "--target", "constructor"],
    code: 2,
    message: /Unknown target/,
  },
  { name: "check -o with a bad spec", args: ["check", "-o", "x:bad"], code: 2, message: /unknown type/ },
  { name: "check -o with a built-in name", args: ["check", "-o", "skip:boolean"], code: 2, message: /built-in/ },
  { name: "check --template missing", args: ["check", "--template", "./nope"], code: 2, message: /not found/ },
  {
    name: "check --template with a symbolic link: refused before any work",
    args: ["check", "--template", "./pk"],
    setup: (sandbox) => {
      files(sandbox.at("pk"), { "express/src/x.ts": "x" });
      symlinkSync(path.join(sandbox.home, ".ssh"), sandbox.at("pk", "base"));
    },
    code: 2,
    message: /symbolic link: base/,
  },
  {
    name: "check --json on a usage error: stdout empty",
    args: ["check", "--json", "--target", "koa"],
    code: 2,
    json: true,
    message: /Unknown target/,
  },
]);

// check --snapshot: the snapshot folder is untrusted input (issue 22 rows 3, 4, 8 and 12, issue 24 item 6).
// One combination (express+none+blank) keeps the rows quick; the stale rows need the whole matrix.
const MATRIX = path.join(path.dirname(BIN), "..", "test", "snapshots", "matrix");
const ONE = ["-t", "express", "-s", "none", "--starter", "blank"];
/** work/snaps holding a copy of the committed express-none-blank snapshot, then `edit`. */
const snaps = (edit: (sandbox: Sandbox, combination: string) => void) => (sandbox: Sandbox) => {
  const combination = sandbox.at("snaps", "express-none-blank");
  cpSync(path.join(MATRIX, "express-none-blank"), combination, { recursive: true });
  edit(sandbox, combination);
};
const noSecret = (_sandbox: Sandbox, result: Result) => assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /PRIVATE KEY|secret/);
add("check", [
  ...[[], ["--update"]].flatMap((update): Omit<Row, "group">[] => {
    const mode = ["check --snapshot", ...update].join(" ");
    return [
      {
        name: `${mode}: a combination folder that is a link to the user's project is refused, nothing read or written`,
        args: ["check", "--snapshot", "snaps", ...ONE, ...update],
        setup: (sandbox) => {
          mkdirSync(sandbox.at("snaps"));
          symlinkSync(sandbox.at("existing"), sandbox.at("snaps", "express-none-blank"));
        },
        code: 2,
        message: /symbolic link.*: express-none-blank/,
      },
      {
        name: `${mode}: a file linked to ~/.ssh/id_rsa inside a combination is refused, never printed`,
        args: ["check", "--snapshot", "snaps", ...ONE, ...update, "--reporter", "junit", "--output", "report.xml"],
        setup: snaps((sandbox, combination) => symlinkSync(path.join(sandbox.home, ".ssh", "id_rsa"), path.join(combination, "key.txt"))),
        code: 2,
        message: /symbolic link.*: express-none-blank\/key\.txt/,
        check: (sandbox, result) => {
          noSecret(sandbox, result);
          absent("report.xml")(sandbox);
        },
      },
      {
        name: `${mode}: a link to a folder inside a combination is a clean refusal, not EISDIR`,
        args: ["check", "--snapshot", "snaps", ...ONE, ...update],
        setup: snaps((sandbox, combination) => symlinkSync(path.join(sandbox.home, ".ssh"), path.join(combination, "keys"))),
        code: 2,
        message: /symbolic link.*: express-none-blank\/keys/,
        check: noSecret,
      },
      {
        name: `${mode}: a FIFO in the snapshot folder is refused without blocking`,
        args: ["check", "--snapshot", "snaps", ...ONE, ...update],
        setup: snaps((_sandbox, combination) => void spawnSync("mkfifo", [path.join(combination, "pipe")])),
        code: 2,
        message: /not a regular file.*: express-none-blank\/pipe/,
      },
      {
        name: `${mode}: a 3 GB file in a combination is refused before anything is read or written`,
        args: ["check", "--snapshot", "snaps", ...ONE, ...update],
        setup: snaps((_sandbox, combination) => {
          writeFileSync(path.join(combination, "README.md"), "changed\n");
          writeFileSync(path.join(combination, "big.bin"), "");
          truncateSync(path.join(combination, "big.bin"), 3 * 1024 ** 3);
        }),
        code: 2,
        message: /larger than 16 MB.*: express-none-blank\/big\.bin/,
      },
      {
        name: `${mode} "": a usage error, not the current folder`,
        args: ["check", "--snapshot", "", ...ONE, ...update],
        code: 2,
        message: /--snapshot "" names no folder/,
      },
      {
        name: `${mode} <a file>: a usage error, not ENOTDIR`,
        args: ["check", "--snapshot", "notes.txt", ...ONE, ...update],
        code: 2,
        message: /--snapshot "notes\.txt" is a file, not a folder/,
      },
    ];
  }),
  {
    name: "check --snapshot packages --update in a monorepo: packages/api (a package with .git) is neither deleted nor written beside",
    args: ["check", "--snapshot", "packages", "--update"],
    setup: (sandbox) => {
      files(sandbox.at("packages", "api"), {
        "package.json": '{"name":"api"}\n',
        "src/index.ts": "work in progress\n",
        ".git/HEAD": "ref: refs/heads/main\n",
      });
    },
    code: 2,
    message: /refuses to touch .*api: it has no \.create-middleware-snapshot marker.*Nothing was written/,
  },
  {
    name: "check --snapshot snaps --update: an unmarked combination folder holding a stranger's package is not rewritten",
    args: ["check", "--snapshot", "snaps", ...ONE, "--update"],
    setup: (sandbox) => files(sandbox.at("snaps", "express-none-blank"), { "package.json": '{"name":"mine"}\n', "notes.md": "mine\n" }),
    code: 2,
    message: /refuses to touch .*express-none-blank: .*no \.create-middleware\.json/,
  },
]);

// template init (items 5 and 15).
add("template init", [
  { name: "onto a file", args: ["template", "init", "notes.txt"], code: 1, message: /is a file, not a folder/ },
  { name: "into a non-empty folder", args: ["template", "init", "existing"], code: 1, message: /is not empty/ },
  { name: "an empty name", args: ["template", "init", ""], code: 2, message: /needs a folder name/ },
  { name: "no name", args: ["template", "init"], code: 2, message: /missing required argument/ },
  { name: "below a file", args: ["template", "init", "notes.txt/tp"], code: 1, message: /path is a file/ },
  { name: "into a new nested path", args: ["template", "init", "a/b/tp"], code: 0, writes: "a", check: present("a", "b", "tp", "base") },
  { name: "into an empty folder", args: ["template", "init", "tp"], setup: (sandbox) => void mkdirSync(sandbox.at("tp")), code: 0, writes: "tp" },
  {
    name: "the copy is a pack that works, with no symbolic link in it",
    args: ["template", "init", "tp"],
    code: 0,
    writes: "tp",
    check: (sandbox) => {
      const run = spawnSync(process.execPath, [CLI, "x", ...QUICK, "--template", "./tp"], { cwd: sandbox.work, encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
      rmSync(sandbox.at("x"), { recursive: true });
    },
  },
]);

// ---------------------------------------------------------------------------------------------------------

/** Rows whose fix has not landed yet (removed as each lands). */
const PENDING: RegExp[] = [];

describe("adversarial rows", { concurrency: Math.max(2, Math.min(4, os.availableParallelism())) }, () => {
  for (const row of rows) {
    const needsMount = row.group === "fault" && /ENOSPC|EROFS|full disk|read-only/.test(`${row.name} ${row.message}`);
    const skip =
      needsMount && mountProblem ? mountProblem : row.unprivileged && !isRoot && process.platform === "win32" ? "no POSIX permissions" : false;
    const todo = PENDING.some((pattern) => pattern.test(row.name)) ? "being fixed (issue #12 items 10-12)" : false;
    it(`${row.group}: ${row.name}`, { skip, todo, timeout: TIMEOUT_MS + 10_000 }, () => check(row));
  }
});

describe("adversarial summary", () => {
  it("at least 120 rows over every group; no crash, no hang, no user file changed", (t) => {
    const lines = [...tally].map(
      ([group, c]) =>
        `${group.padEnd(14)} rows ${String(c.rows).padStart(3)}  passed ${String(c.passed).padStart(3)}  refusals ${String(c.refusals).padStart(3)}  skipped ${c.skipped}  crashes ${c.crashes}  hangs ${c.hangs}  changed ${c.changed}`,
    );
    const total = [...tally.values()].reduce(
      (sum, c) => ({
        rows: sum.rows + c.rows,
        passed: sum.passed + c.passed,
        refusals: sum.refusals + c.refusals,
        crashes: sum.crashes + c.crashes,
        hangs: sum.hangs + c.hangs,
        changed: sum.changed + c.changed,
      }),
      { rows: 0, passed: 0, refusals: 0, crashes: 0, hangs: 0, changed: 0 },
    );
    for (const line of lines) t.diagnostic(line);
    t.diagnostic(
      `total rows ${total.rows}, clean refusals ${total.refusals}, crashes ${total.crashes}, hangs ${total.hangs}, user files changed ${total.changed}`,
    );
    assert.ok(rows.length >= 120, `${rows.length} rows`);
    if (PENDING.length === 0) {
      assert.equal(total.crashes, 0);
      assert.equal(total.hangs, 0);
      assert.equal(total.changed, 0);
    }
  });
});

after(() => {
  // Nothing to clean: every row removes its own sandbox and mounts.
});
