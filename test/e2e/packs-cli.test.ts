/**
 * Team packs through the CLI, the way a team uses them: a .tgz pack with its own question, a git pack
 * named in a team config, config discovery and precedence (with --json saying where each answer came
 * from), --answers reproducing a package byte for byte, and refusals that leave the disk as it was.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";
import { makeTar } from "../helpers/tar.js";

const QUICK = ["--yes", "--no-install", "--no-git"];
let root: { path: string; remove: () => Promise<void> };
let env: NodeJS.ProcessEnv;

const run = (cwd: string, args: string[]) => runCli(args, { cwd, env });

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Every file under `dir` (relative path -> bytes), to compare trees. */
function treeOf(dir: string, prefix = ""): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [file, contents] of treeOf(dir, relative)) files.set(file, contents);
    else files.set(relative, readFileSync(path.join(dir, relative)));
  }
  return files;
}

/** Names and sizes of everything under `dir`: what "the disk is unchanged" compares. */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return `${path.relative(dir, full)}:${entry.isFile() ? statSync(full).size : "dir"}`;
    })
    .sort();
}

const MANIFEST = {
  name: "@acme/mw-pack",
  version: "2.0.0",
  description: "Acme's middleware pack",
  targets: ["express", "socket.io"],
  questions: [
    { key: "team", type: "text", message: "Owning team?", validate: { pattern: "^[a-z-]+$", message: "lowercase letters and dashes" } },
    { key: "region", type: "select", message: "Region?", choices: ["eu", "us"], default: "eu" },
    { key: "audit", type: "confirm", message: "Audit log?", default: false, when: { var: "target", equals: "express" } },
  ],
};

function packFiles(folder: string): void {
  write(path.join(folder, "pack.json"), JSON.stringify(MANIFEST, null, 2));
  write(path.join(folder, "base", "OWNERS.md.hbs"), "Owned by {{md vars.team}} ({{vars.region}}, audit: {{vars.audit}}).\n");
  write(path.join(folder, "base", "_partials", "ci-matrix.hbs"), "");
}

before(async () => {
  root = await tempDir("cm-packs-cli-");
  env = {
    XDG_CONFIG_HOME: path.join(root.path, "user-config"),
    CREATE_MIDDLEWARE_CACHE: path.join(root.path, "cache"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: path.join(root.path, "no-gitconfig"),
  };
  const source = path.join(root.path, "src", "acme-pack");
  packFiles(source);
  execFileSync("tar", ["-czf", path.join(root.path, "acme-pack.tgz"), "-C", path.dirname(source), "acme-pack"]);
});
after(() => root.remove());

describe("a .tgz pack with a question", () => {
  it("renders the pack's answers as vars, keeps the Express CI matrix, and records the pack", async () => {
    const cwd = path.join(root.path, "tgz");
    mkdirSync(cwd);
    const result = await run(cwd, ["my-logger", ...QUICK, "--template", "../acme-pack.tgz", "--var", "team=edge", "--var", "audit=yes"]);
    assert.equal(result.code, 0, result.stderr);
    const pkg = path.join(cwd, "my-logger");
    assert.equal(readFileSync(path.join(pkg, "OWNERS.md"), "utf8"), "Owned by edge (eu, audit: true).\n");
    assert.match(readFileSync(path.join(pkg, ".github", "workflows", "ci.yml"), "utf8"), /express: \[4, 5\]/);
    const recorded = JSON.parse(readFileSync(path.join(pkg, ".create-middleware.json"), "utf8"));
    assert.equal(recorded.template.source, "../../acme-pack.tgz");
    assert.match(recorded.template.resolved, /^[0-9a-f]{64}$/);
    assert.deepEqual(recorded.answers.vars, { team: "edge", region: "eu", audit: true });
  });

  it("without a TTY, a question with no default is exit 2 naming the --var; nothing is written", async () => {
    const cwd = path.join(root.path, "tgz-missing");
    mkdirSync(cwd);
    const result = await run(cwd, ["my-logger", ...QUICK, "--template", "../acme-pack.tgz"]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /Pack question "team" \(Owning team\?\) has no answer: no --var, answers file, config value or default, and there is no terminal to ask on\. Pass --var team=<value>\./,
    );
    assert.deepEqual(readdirSync(cwd), []);
  });
});

describe("team config", () => {
  it("is found upward; flags win over it; --dry-run --json says where each answer came from", async () => {
    const repo = path.join(root.path, "repo");
    write(
      path.join(repo, "create-middleware.config.json"),
      JSON.stringify({
        scope: "@acme",
        template: "../acme-pack.tgz",
        target: "socket.io",
        schema: "zod",
        license: "Apache-2.0",
        vars: { team: "platform", region: "us" },
      }),
    );
    write(path.join(env.XDG_CONFIG_HOME!, "create-middleware", "config.json"), JSON.stringify({ author: "Ann Lee", schema: "joi" }));
    const cwd = path.join(repo, "services");
    mkdirSync(cwd);
    const result = await run(cwd, ["my-auth", ...QUICK, "--schema", "valibot", "--var", "region=eu", "--dry-run", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.answers.packageName, "@acme/my-auth");
    assert.equal(report.answers.target, "socket.io");
    assert.equal(report.answers.schema, "valibot");
    assert.equal(report.answers.author, "Ann Lee");
    assert.equal(report.answers.license, "Apache-2.0");
    assert.deepEqual(report.answers.vars, { team: "platform", region: "eu", audit: null });
    assert.deepEqual(report.sources, {
      packageManager: "default",
      directory: "flag",
      packageName: "config",
      target: "config",
      starter: "default",
      schema: "flag",
      description: "default",
      repository: "default",
      fields: "default",
      install: "flag",
      git: "flag",
      updateWorkflow: "default",
      template: "config",
      author: "config",
      year: "default",
      license: "config",
      vars: { team: "config", region: "flag", audit: "skipped" },
    });
    assert.equal(report.template.source, "../acme-pack.tgz");
    assert.ok(
      report.files.some((file: { path: string }) => file.path === ".create-middleware.json"),
      "the answers file is part of the plan",
    );
    assert.deepEqual(readdirSync(cwd), [], "a dry run writes nothing");
  });

  it("names a git pack that the CLI fetches from a local bare repository", async () => {
    const work = path.join(root.path, "git-work");
    packFiles(work);
    const gitEnv = { ...process.env, ...env, GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@e.x", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@e.x" };
    const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" }).trim();
    git(work, "init", "-q", "-b", "main");
    git(work, "add", "-A");
    git(work, "commit", "-qm", "pack v2");
    git(work, "tag", "v2");
    const commit = git(work, "rev-parse", "HEAD");
    const team = path.join(root.path, "team");
    git(root.path, "clone", "-q", "--bare", work, path.join(team, "packs.git"));
    write(path.join(team, "create-middleware.config.json"), JSON.stringify({ template: "./packs.git#v2", vars: { team: "core" } }));
    const result = await run(team, ["from-git", ...QUICK, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.template, { source: "./packs.git#v2", kind: "git", resolved: commit, fromCache: false });
    assert.equal(readFileSync(path.join(team, "from-git", "OWNERS.md"), "utf8"), "Owned by core (eu, audit: false).\n");
    const recorded = JSON.parse(readFileSync(path.join(team, "from-git", ".create-middleware.json"), "utf8"));
    assert.deepEqual(recorded.template, { source: "../packs.git#v2", resolved: commit });

    const offline = await run(team, ["from-cache", ...QUICK, "--offline", "--json"]);
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(JSON.parse(offline.stdout).template.fromCache, true);
  });
});

describe("--answers", () => {
  it("reproduces a package byte for byte, from another directory, without the config that made it", async () => {
    const first = path.join(root.path, "replay", "a");
    write(
      path.join(first, "create-middleware.config.json"),
      JSON.stringify({ scope: "acme", author: "Ann Lee", license: "UNLICENSED", vars: { team: "edge" } }),
    );
    const made = await run(first, [
      "my-logger",
      ...QUICK,
      "--template",
      "../../acme-pack.tgz",
      "--schema",
      "zod",
      "--description",
      'Logs "requests" `fast` */ now.',
      "-o",
      "level:info|debug=info",
      "-o",
      "tags:string[]=a,b",
      "--var",
      "region=us",
    ]);
    assert.equal(made.code, 0, made.stderr);
    const second = path.join(root.path, "replay", "b");
    mkdirSync(second);
    const answersFile = path.join(first, "my-logger", ".create-middleware.json");
    const replayed = await run(second, ["--answers", answersFile, ...QUICK]);
    assert.equal(replayed.code, 0, replayed.stderr);
    const original = treeOf(path.join(first, "my-logger"));
    const again = treeOf(path.join(second, "my-logger"));
    assert.deepEqual([...again.keys()].sort(), [...original.keys()].sort());
    for (const [file, contents] of original) assert.ok(contents.equals(again.get(file)!), `${file} is byte for byte the same`);
    assert.match(original.get("LICENSE")!.toString(), /All rights reserved/);
    assert.match(original.get("package.json")!.toString(), /"license": "UNLICENSED"/);

    // Flags still win over the file.
    const changed = await run(second, ["other", "--answers", answersFile, "--schema", "joi", ...QUICK, "--dry-run", "--json"]);
    const report = JSON.parse(changed.stdout);
    assert.equal(report.answers.schema, "joi");
    assert.equal(report.answers.packageName, "@acme/my-logger");
    assert.equal(report.sources.description, "answers");
  });

  it("a malformed answers file is exit 2 naming it", async () => {
    const cwd = path.join(root.path, "bad-answers");
    write(path.join(cwd, "answers.json"), JSON.stringify({ version: 7 }));
    const result = await run(cwd, ["--answers", "answers.json", ...QUICK]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /answers\.json has version 7/);
  });
});

describe("refusals leave the disk as it was", () => {
  const cases: Array<[string, (dir: string) => string[], number, RegExp]> = [
    ["a malformed source", () => ["--template", "github:acme"], 2, /Template source "github:acme" is malformed: "acme" is not owner\/repository/],
    ["an unknown kind of source", () => ["--template", "svn:repo"], 2, /unknown kind "svn:"/],
    [
      "a tarball with a symbolic link",
      (dir) => {
        writeFileSync(
          path.join(dir, "evil.tgz"),
          makeTar([
            { name: "base/README.md.hbs", contents: "x" },
            { name: "base/key.hbs", type: "2", linkname: "/etc/passwd" },
          ]),
        );
        return ["--template", "./evil.tgz"];
      },
      2,
      /"base\/key\.hbs" is a symbolic link; a pack may hold only files and folders\. Nothing was written\./,
    ],
    [
      "a tarball escaping its root",
      (dir) => {
        writeFileSync(path.join(dir, "escape.tgz"), makeTar([{ name: "base/../../../outside.txt", contents: "x" }]));
        return ["--template", "./escape.tgz"];
      },
      2,
      /would land outside the pack's folder/,
    ],
    [
      "a folder pack with a symbolic link",
      (dir) => {
        write(path.join(dir, "linked", "base", "a.hbs"), "a");
        symlinkSync("/etc", path.join(dir, "linked", "express"));
        return ["--template", "./linked"];
      },
      2,
      /contains a symbolic link: express/,
    ],
    [
      "an invalid manifest",
      (dir) => {
        write(
          path.join(dir, "badpack", "pack.json"),
          JSON.stringify({ questions: [{ key: "r", type: "select", message: "R?", choices: ["a"], default: "b" }] }),
        );
        write(path.join(dir, "badpack", "base", "x.hbs"), "x");
        return ["--template", "./badpack"];
      },
      2,
      /pack\.json: questions\[0\]\.default "b" is not one of the choices \(a\)\./,
    ],
    [
      "an unknown --var",
      () => ["--template", path.join(root.path, "acme-pack.tgz"), "--var", "tema=x"],
      2,
      /Unknown --var "tema": this pack's questions are team, region, audit/,
    ],
    [
      "an invalid --var",
      () => ["--template", path.join(root.path, "acme-pack.tgz"), "--var", "team=Core"],
      2,
      /"Core" from --var is invalid: lowercase letters and dashes/,
    ],
    ["a --var without a pack", () => ["--var", "team=x"], 2, /--var answers a team pack's questions, and no pack is in use/],
    [
      "an --offline miss",
      () => ["--template", "npm:@acme/not-cached@^1", "--offline"],
      1,
      /--offline: the template pack "npm:@acme\/not-cached@\^1" is not in the cache/,
    ],
    [
      "a failed fetch",
      () => ["--template", `git+file://${root.path}/nowhere.git`],
      1,
      /Could not fetch the template pack "git\+file:.*nowhere\.git": `git clone/,
    ],
  ];
  for (const [what, setUp, code, pattern] of cases) {
    it(`${what}: exit ${code}, a message naming it, nothing written`, async () => {
      const dir = path.join(root.path, "refusals", what.replace(/\W+/g, "-"));
      mkdirSync(dir, { recursive: true });
      const args = setUp(dir);
      const before = listing(dir);
      const cacheBefore = listing(env.CREATE_MIDDLEWARE_CACHE!);
      const result = await run(dir, ["my-logger", ...QUICK, ...args]);
      assert.equal(result.code, code, result.stderr);
      assert.match(result.stderr, pattern);
      assert.deepEqual(listing(dir), before);
      assert.deepEqual(
        listing(env.CREATE_MIDDLEWARE_CACHE!).filter((entry) => !entry.startsWith("tmp")),
        cacheBefore.filter((entry) => !entry.startsWith("tmp")),
      );
    });
  }
});

describe("template init and check", () => {
  it("a pack made by template init renders exactly the built-in package: nothing it copies shadows by accident", async () => {
    const cwd = path.join(root.path, "init");
    mkdirSync(cwd);
    const init = await run(cwd, ["template", "init", "our-pack"]);
    assert.equal(init.code, 0, init.stderr);
    const manifest = JSON.parse(readFileSync(path.join(cwd, "our-pack", "pack.json"), "utf8"));
    assert.deepEqual(manifest.questions, []);
    assert.match(readFileSync(path.join(cwd, "our-pack", ".github", "workflows", "check.yml"), "utf8"), /check --template \./);
    for (const target of ["express", "socket.io"]) {
      // A pack turns the template-update workflow on by default; the built-ins get it by flag, to compare it too.
      const plain = await run(cwd, [`plain-${target}`, "-n", "same", "-t", target, ...QUICK, "--update-workflow"]);
      const packed = await run(cwd, [`packed-${target}`, "-n", "same", "-t", target, ...QUICK, "--template", "./our-pack"]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(packed.code, 0, packed.stderr);
      const a = treeOf(path.join(cwd, `plain-${target}`));
      const b = treeOf(path.join(cwd, `packed-${target}`));
      a.delete(".create-middleware.json");
      b.delete(".create-middleware.json");
      assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
      for (const [file, contents] of a) assert.ok(contents.equals(b.get(file)!), `${target}: ${file} is the same with the copied pack`);
    }
  });

  it("check --template runs the matrix pack.json declares, with --var reaching the templates", async () => {
    const cwd = path.join(root.path, "check-pack");
    write(
      path.join(cwd, "pack", "pack.json"),
      JSON.stringify({
        targets: ["socket.io"],
        schemas: ["joi"],
        questions: [{ key: "mode", type: "select", message: "Mode?", choices: ["ok", "broken"], default: "ok" }],
      }),
    );
    // Strict rendering: with mode=broken the template reads a variable that does not exist and fails to render,
    // so no combination renders and nothing is installed.
    write(path.join(cwd, "pack", "base", "MODE.md.hbs"), '{{#if (eq vars.mode "broken")}}{{noSuchValue}}{{/if}}\n');
    const result = await run(cwd, ["check", "--template", "./pack", "--var", "mode=broken", "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    // pack.json names no starters: every Socket.IO starter is rendered with joi.
    assert.deepEqual(
      report.combinations.map((entry: { id: string }) => entry.id),
      ["socket.io+joi+blank", "socket.io+joi+logger", "socket.io+joi+auth", "socket.io+joi+rate-limit"],
    );
    for (const combination of report.combinations) assert.match(combination.steps[0].message, /MODE\.md\.hbs.*noSuchValue/);
    const unknown = await run(cwd, ["check", "--template", "./pack", "--var", "mood=x"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown --var "mood"/);
  });
});
