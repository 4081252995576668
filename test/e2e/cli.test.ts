/** The built CLI, spawned with no TTY: files, exit codes and messages for good and bad input. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, REPO, runCli, tempDir } from "../helpers/cli.js";

const QUICK = ["--yes", "--no-install", "--no-git"];
const NASTY = 'it\'s "quoted" */ ${x} `tick`';

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-e2e-");
});
after(() => work.remove());

const run = (args: string[], env?: NodeJS.ProcessEnv) => runCli(args, { cwd: work.path, ...(env ? { env } : {}) });
const read = (...parts: string[]) => readFile(path.join(work.path, ...parts), "utf8");

describe("help and version", () => {
  it("--help explains the flags with examples and exits 0", async () => {
    const result = await run(["--help"]);
    assert.equal(result.code, 0);
    for (const text of ["--target <target>", "--schema <schema>", "--option <spec>", "Examples:", "Exit codes:"]) {
      assert.ok(result.stdout.includes(text), `help mentions ${text}`);
    }
    // The subcommands are defined only when the arguments could name one (cli.ts); -h is such a word.
    for (const command of ["check", "update", "outdated", "template"]) assert.match(result.stdout, new RegExp(`^  ${command}\\b`, "m"), command);
    assert.match((await run(["-h"])).stdout, /^ {2}outdated\b/m);
  });
  it("a subcommand runs as itself and has its own --help", async () => {
    const result = await run(["outdated", "--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: create-middleware outdated/m);
  });
  it("`help` prints the help, `help check` the command's, and nothing is created", async () => {
    const help = await run(["help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: create-middleware \[options\] \[command\] \[directory\]/m);
    const check = await run(["help", "check"]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /^Usage: create-middleware check/m);
    assert.equal(existsSync(path.join(work.path, "help")), false);
  });
  it("a typo of a command is a usage error suggesting it and the ./name form; ./name still creates", async () => {
    for (const [typo, command] of [
      ["updte", "update"],
      ["outdatd", "outdated"],
      ["chekc", "check"],
    ] as const) {
      const result = await run([typo, ...QUICK]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`"${typo}" is not a command\\. Did you mean \`create-middleware ${command}\`\\?`));
      assert.ok(result.stderr.includes(`create-middleware ./${typo}`), result.stderr);
      assert.equal(existsSync(path.join(work.path, typo)), false, `${typo} was not created`);
    }
    const made = await run(["./updte", ...QUICK]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(JSON.parse(await read("updte", "package.json")).name, "updte");
  });
  it("--version prints the package version", async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { version: string };
    const result = await run(["--version"]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), version);
  });
});

describe("creating a package", () => {
  it("writes an Express package with --yes, and prints next steps", async () => {
    const result = await run(["my-logger", ...QUICK]);
    assert.equal(result.code, 0, result.stderr);
    const pkg = JSON.parse(await read("my-logger", "package.json")) as Record<string, unknown>;
    assert.equal(pkg.name, "my-logger");
    assert.equal(pkg.type, "module");
    assert.ok(existsSync(path.join(work.path, "my-logger", ".gitignore")));
    assert.ok(existsSync(path.join(work.path, "my-logger", ".github", "workflows", "ci.yml")));
    assert.match(await read("my-logger", "src", "index.ts"), /export function myLogger[<(]/);
    assert.match(result.stdout, /Next steps:\n\s+cd \.\/my-logger\n\s+npm install\n\s+npm test\n\s+npm run example/);
    assert.doesNotMatch(result.stdout + result.stderr, /\u001b\[/, "no colours without a TTY");
    const leftovers = (await readdir(work.path)).filter((entry) => entry.startsWith("."));
    assert.deepEqual(leftovers, [], "no staging directory left behind");
  });

  it("a reader that goes away (| head) neither crashes the run nor stops it", async () => {
    const child = spawn(process.execPath, [BIN, "piped", ...QUICK], { cwd: work.path, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // every write to stdout now fails with EPIPE
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const [code] = (await once(child, "close")) as [number | null];
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    assert.ok(existsSync(path.join(work.path, "piped", "package.json")));
  });

  it("a scoped name creates a directory named after its last part", async () => {
    const result = await run(["@acme/request-id", ...QUICK, "--target", "sio"]);
    assert.equal(result.code, 0, result.stderr);
    const pkg = JSON.parse(await read("request-id", "package.json")) as { name: string; peerDependencies: Record<string, string> };
    assert.equal(pkg.name, "@acme/request-id");
    assert.ok(pkg.peerDependencies["socket.io"]);
  });

  it("a description with quotes, backticks and */ reaches package.json and README exactly", async () => {
    const result = await run(["nasty", ...QUICK, "--description", NASTY]);
    assert.equal(result.code, 0, result.stderr);
    const pkg = JSON.parse(await read("nasty", "package.json")) as { description: string };
    assert.equal(pkg.description, NASTY);
    const readme = await read("nasty", "README.md");
    assert.ok(readme.includes('it\'s "quoted" \\*/ ${x} \\`tick\\`'), "README holds the Markdown-escaped text");
  });

  it("never prompts or waits on stdin without a TTY, even without --yes", async () => {
    const result = await runCli(["quiet", "--no-install", "--no-git"], { cwd: work.path, stdin: "pipe", timeoutMs: 15_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(path.join(work.path, "quiet", "package.json")));
  });
});

describe("--dry-run", () => {
  it("lists the files and writes nothing", async () => {
    const result = await run(["dry", ...QUICK, "--dry-run"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Dry run: would create/);
    assert.match(result.stdout, /src\/index\.ts/);
    assert.ok(!existsSync(path.join(work.path, "dry")));
  });
  it("with --json prints the whole plan as one JSON document on stdout", async () => {
    const result = await run(["dry-json", ...QUICK, "--dry-run", "--json", "--schema", "zod", "-o", "level:info|debug=info"]);
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout) as {
      dryRun: boolean;
      answers: { packageName: string; schema: string; fields: Array<{ name: string }> };
      files: Array<{ path: string; size: number }>;
    };
    assert.equal(plan.dryRun, true);
    assert.equal(plan.answers.packageName, "dry-json");
    assert.equal(plan.answers.schema, "zod");
    assert.deepEqual(
      plan.answers.fields.map((field) => field.name),
      ["level"],
    );
    assert.ok(plan.files.some((file) => file.path === "package.json" && file.size > 0));
    assert.ok(!existsSync(path.join(work.path, "dry-json")));
  });
});

describe("bad input", () => {
  const usage: Array<[string, string[], RegExp]> = [
    ["an unknown target", ["--target", "koa"], /Unknown target "koa"\. Valid targets: express, socket\.io/],
    ["an unknown schema", ["--schema", "yup"], /Valid schemas: none, zod, valibot, typebox, joi/],
    ["an invalid package name", ["--name", "Bad Name"], /"Bad Name" is not a valid npm package name/],
    ["a bad option spec", ["-o", "max:number=ten"], /Invalid --option "max:number=ten"/],
    ["an option named like a built-in", ["-o", "skip:boolean"], /"skip" is a built-in option/],
    ["an unknown flag", ["--colour"], /unknown option '--colour'/],
    ["a missing template pack", ["--template", "./nope"], /Template pack "\.\/nope" was not found/],
  ];
  for (const [what, args, message] of usage) {
    it(`${what}: exit 2, a message naming the problem, nothing written`, async () => {
      const result = await run(["bad-input", ...QUICK, ...args]);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, "");
      assert.ok(!existsSync(path.join(work.path, "bad-input")));
    });
  }

  it("with --json, every failure is also one JSON object on stdout: code, message, exit code", async () => {
    const cases: Array<[string[], number, string, RegExp]> = [
      [["bad-json", ...QUICK, "--json", "--target", "koa"], 2, "usage", /^Unknown target "koa"/],
      [["bad-json", ...QUICK, "--json", "--colour"], 2, "usage", /^unknown option '--colour'/],
      [["check", "--json", "--reporter", "nope"], 2, "usage", /^Unknown reporter "nope"/],
      [["outdated", "nowhere", "--json"], 2, "usage", /has no \.create-middleware\.json/],
    ];
    for (const [args, exitCode, code, message] of cases) {
      const result = await run(args);
      assert.equal(result.code, exitCode, result.stderr);
      const document = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string; exitCode: number } };
      assert.equal(document.ok, false);
      assert.deepEqual({ code: document.error.code, exitCode: document.error.exitCode }, { code, exitCode }, args.join(" "));
      assert.match(document.error.message, message);
      assert.ok(result.stderr.includes(document.error.message), "the human message is on stderr too");
    }
    // A refused write is a failure (exit 1, "failed"); a dry run's report that describes the refusal stays the one document.
    await mkdir(path.join(work.path, "busy-json"));
    await writeFile(path.join(work.path, "busy-json", "README.md"), "mine");
    const refused = await run(["busy-json", ...QUICK, "--json"]);
    assert.equal(refused.code, 1);
    assert.deepEqual((JSON.parse(refused.stdout) as { error: { code: string } }).error.code, "failed");
    const planned = await run(["busy-json", ...QUICK, "--json", "--dry-run"]);
    const report = JSON.parse(planned.stdout) as { ok: boolean; error: string };
    assert.equal(report.ok, false);
    assert.match(report.error, /is not empty/);
  });

  it("refuses a non-empty directory with exit 1, listing conflicts, touching nothing", async () => {
    const directory = path.join(work.path, "busy");
    await mkdir(directory);
    await writeFile(path.join(directory, "README.md"), "my notes");
    const result = await run(["busy", ...QUICK]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is not empty \(would overwrite: README\.md\)/);
    assert.match(result.stderr, /--force/);
    assert.deepEqual(await readdir(directory), ["README.md"]);
    assert.equal(await read("busy", "README.md"), "my notes");
  });

  it("--force writes the package's files and keeps the rest", async () => {
    const directory = path.join(work.path, "forced");
    await mkdir(directory);
    await writeFile(path.join(directory, "notes.txt"), "keep me");
    const result = await run(["forced", ...QUICK, "--force"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await read("forced", "notes.txt"), "keep me");
    assert.ok(existsSync(path.join(directory, "package.json")));
  });

  it("a template that fails to render: exit 2, the file named, nothing written", async () => {
    const pack = path.join(work.path, "broken-pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "base", "README.md.hbs"), "# {{packageName}}\n\n{{#if description}}\nunclosed\n");
    const result = await run(["from-broken", ...QUICK, "--template", pack]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /team pack\/base\/README\.md\.hbs/);
    assert.ok(!existsSync(path.join(work.path, "from-broken")));
  });
});

describe("team template packs", () => {
  it("template init copies the built-in templates; a pack overrides one file and inherits the rest", async () => {
    const init = await run(["template", "init", "pack"]);
    assert.equal(init.code, 0, init.stderr);
    assert.ok(existsSync(path.join(work.path, "pack", "base")));
    assert.ok(existsSync(path.join(work.path, "pack", "express")));
    const again = await run(["template", "init", "pack"]);
    assert.equal(again.code, 1, "refuses a non-empty folder");

    const overrides = path.join(work.path, "overrides");
    await mkdir(path.join(overrides, "base"), { recursive: true });
    await writeFile(path.join(overrides, "base", "CODEOWNERS.hbs"), "* @acme/{{directoryName}}-owners\n");
    const result = await run(["from-pack", ...QUICK, "--template", overrides]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await read("from-pack", "CODEOWNERS"), "* @acme/from-pack-owners\n");
    assert.ok(existsSync(path.join(work.path, "from-pack", "src", "index.ts")));
  });
});
