import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { FailedError, UsageError } from "../../src/errors.js";
import { cacheRoot } from "../../src/packs/cache.js";
import { evaluateCondition, parseManifest, validateManifest } from "../../src/packs/manifest.js";
import { parseVarFlags, resolvePackVars } from "../../src/packs/questions.js";
import { parsePackSource, redactSource } from "../../src/packs/source-spec.js";
import { readArchive, UnsafeArchiveError, writeEntries } from "../../src/packs/tarball.js";
import { hashFiles, loadPack } from "../../src/packs/load-pack.js";
import { recordedSource } from "../../src/packs/pack.js";
import { makeTar, paxPath } from "../helpers/tar.js";
import { readPackTree } from "../../src/packs/pack-tree.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-packs-unit-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const manifestOptions = { file: "pack.json", cliVersion: "0.1.0", targets: ["express", "socket.io"], schemas: ["none", "zod"] };
const validate = (raw: unknown) => validateManifest(raw, manifestOptions);

describe("pack sources", () => {
  const folder = path.join(scratch, "folder-pack");
  mkdirSync(path.join(folder, "base"), { recursive: true });
  const bare = path.join(scratch, "bare.git");
  mkdirSync(path.join(bare, "objects"), { recursive: true });
  mkdirSync(path.join(bare, "refs"), { recursive: true });
  writeFileSync(path.join(bare, "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(path.join(scratch, "pack.tgz"), makeTar([{ name: "base/a.txt", contents: "a" }]));

  it("tells folders, tarballs, npm specs and git sources apart", () => {
    assert.deepEqual(parsePackSource("./folder-pack", scratch), { kind: "folder", given: "./folder-pack", path: folder });
    assert.equal(parsePackSource("pack.tgz", scratch).kind, "tarball");
    assert.deepEqual(parsePackSource("npm:@acme/mw-pack@^2", scratch), {
      kind: "npm",
      given: "npm:@acme/mw-pack@^2",
      spec: "@acme/mw-pack@^2",
      name: "@acme/mw-pack",
    });
    assert.deepEqual(parsePackSource("@acme/mw-pack", scratch), {
      kind: "npm",
      given: "@acme/mw-pack",
      spec: "@acme/mw-pack",
      name: "@acme/mw-pack",
    });
    assert.equal(parsePackSource("npm:file:../x", scratch).kind, "npm");
    assert.deepEqual(parsePackSource("github:acme/pack#v2", scratch), {
      kind: "git",
      given: "github:acme/pack#v2",
      url: "https://github.com/acme/pack.git",
      ref: "v2",
    });
    assert.deepEqual(parsePackSource("gitlab:group/sub/pack", scratch), {
      kind: "git",
      given: "gitlab:group/sub/pack",
      url: "https://gitlab.com/group/sub/pack.git",
      ref: undefined,
    });
    assert.deepEqual(parsePackSource("https://git.acme.dev/team/pack.git#main", scratch), {
      kind: "git",
      given: "https://git.acme.dev/team/pack.git#main",
      url: "https://git.acme.dev/team/pack.git",
      ref: "main",
    });
    assert.deepEqual(parsePackSource("git+file:///srv/pack.git#v1", scratch), {
      kind: "git",
      given: "git+file:///srv/pack.git#v1",
      url: "file:///srv/pack.git",
      ref: "v1",
    });
    assert.deepEqual(parsePackSource("./bare.git#v1", scratch), { kind: "git", given: "./bare.git#v1", url: bare, ref: "v1" });
  });

  for (const [given, pattern] of [
    ["npm:", /nothing follows npm:/],
    ["npm:Bad Name", /not an npm package name/],
    ["github:acme", /not owner\/repository/],
    ["github:acme/pack#..", /not a git branch/],
    ["https://example.com/pack", /must end in \.git/],
    ["ftp2:thing", /unknown kind "ftp2:"/],
  ] as const) {
    it(`refuses the malformed source ${JSON.stringify(given)} as a usage error`, () => {
      assert.throws(
        () => parsePackSource(given, scratch),
        (error: Error) => error instanceof UsageError && pattern.test(error.message),
      );
    });
  }

  it("a #ref on a folder that is no bare repository is a failed fetch (exit 1): the source is well formed, the repository missing", () => {
    assert.throws(
      () => parsePackSource("./folder-pack#v1", scratch),
      (error: Error) => error instanceof FailedError && /folder-pack is not a bare git repository/.test(error.message),
    );
  });

  it("names a missing folder", () => {
    assert.throws(() => parsePackSource("./nope", scratch), /Template pack "\.\/nope" was not found/);
  });

  it("puts the cache in the platform's cache directory", () => {
    assert.equal(cacheRoot({ XDG_CACHE_HOME: "/x/cache" }, "linux", "/home/a"), path.join("/x/cache", "create-middleware"));
    assert.equal(cacheRoot({}, "linux", "/home/a"), path.join("/home/a", ".cache", "create-middleware"));
    assert.equal(cacheRoot({}, "darwin", "/Users/a"), path.join("/Users/a", "Library", "Caches", "create-middleware"));
    assert.equal(
      cacheRoot({ LOCALAPPDATA: "C:\\Users\\a\\AppData\\Local" }, "win32", "C:\\Users\\a"),
      path.join("C:\\Users\\a\\AppData\\Local", "create-middleware", "Cache"),
    );
  });

  it("never records or shows a URL's credentials", () => {
    assert.equal(redactSource("https://ann:ghp_secret@github.com/acme/pack.git#v2"), "https://github.com/acme/pack.git#v2");
    assert.equal(redactSource("git+https://ghp_secret@github.com/acme/pack.git"), "git+https://github.com/acme/pack.git");
    assert.equal(redactSource("git+ssh://git@host/acme/pack.git"), "git+ssh://git@host/acme/pack.git");
    assert.equal(redactSource("ssh://git:pw@host/pack.git"), "ssh://git@host/pack.git");
    const pack = { source: parsePackSource("https://ann:ghp_secret@git.acme.dev/pack.git#v2", scratch), base: scratch };
    assert.equal(recordedSource(pack, scratch), "https://git.acme.dev/pack.git#v2");
  });

  it("records a local source relative to the package directory", () => {
    const pack = { source: parsePackSource("./folder-pack", scratch), base: scratch };
    assert.equal(recordedSource(pack, path.join(scratch, "out", "pkg")), "../../folder-pack");
    const npm = { source: parsePackSource("npm:@acme/p@^2", scratch), base: scratch };
    assert.equal(recordedSource(npm, path.join(scratch, "pkg")), "npm:@acme/p@^2");
  });
});

describe("tarballs", () => {
  it("reads files and folders, strips npm's package/ folder, follows pax paths", () => {
    const long = `base/${"deep/".repeat(30)}file.txt`;
    const entries = readArchive(
      makeTar([
        { name: "package/", type: "5" },
        { name: "package/base/README.md.hbs", contents: "# {{packageName}}" },
        paxPath(`package/${long}`),
        { name: "package/ignored-name", contents: "deep" },
      ]),
    );
    assert.deepEqual(
      entries.filter((entry) => entry.type === "file").map((entry) => [entry.path, entry.contents.toString()]),
      [
        ["base/README.md.hbs", "# {{packageName}}"],
        [long, "deep"],
      ],
    );
  });

  for (const [what, entry, pattern] of [
    ["a symbolic link", { name: "base/link", type: "2", linkname: "/etc/passwd" }, /symbolic link/],
    ["a hard link", { name: "base/link", type: "1", linkname: "base/a" }, /hard link/],
    ["a device", { name: "base/dev", type: "3" }, /character device/],
    ["a path with ..", { name: "base/../../escape.txt", contents: "x" }, /outside the pack/],
    ["an absolute path", { name: "/tmp/escape.txt", contents: "x" }, /outside the pack/],
  ] as const) {
    it(`refuses ${what}, and nothing is written`, () => {
      const destination = path.join(scratch, `refused-${what.replace(/\W+/g, "-")}`);
      assert.throws(
        () => writeEntries(readArchive(makeTar([{ name: "base/a", contents: "a" }, entry])), destination),
        (error: Error) => error instanceof UnsafeArchiveError && pattern.test(error.message),
      );
      assert.equal(existsSync(destination), false);
    });
  }

  it("keeps a file's executable bit, and no other bit of its mode (no setuid, no write for others)", () => {
    const entries = readArchive(
      makeTar([
        { name: "base/bin/run.sh", contents: "#!/bin/sh\n", mode: 0o4777 },
        { name: "base/README.md", contents: "x", mode: 0o6666 },
      ]),
    );
    assert.deepEqual(
      entries.map((entry) => [entry.path, entry.executable ?? false]),
      [
        ["base/bin/run.sh", true],
        ["base/README.md", false],
      ],
    );
    const destination = path.join(scratch, "modes");
    writeEntries(entries, destination);
    assert.equal(statSync(path.join(destination, "base", "bin", "run.sh")).mode & 0o7777, 0o700, "the cache is private: x for its owner only");
    assert.equal(statSync(path.join(destination, "base", "README.md")).mode & 0o7777, 0o600);
    const tree = readPackTree(destination);
    assert.deepEqual([...(tree.executable ?? [])], ["base/bin/run.sh"]);
    assert.notEqual(hashFiles(tree.files, tree.executable), hashFiles(tree.files), "a bit changed is another pack version");
    assert.equal(hashFiles(tree.files, new Set()), hashFiles(tree.files), "without an executable file the hash is as before");
  });

  it("refuses garbage as a corrupt archive", () => {
    assert.throws(() => readArchive(Buffer.alloc(1024, 7)), /not a valid tar archive/);
  });

  it("writes checked entries through a staging folder", () => {
    const destination = path.join(scratch, "written");
    writeEntries(readArchive(makeTar([{ name: "base/a/b.txt", contents: "b" }])), destination);
    assert.equal(readFileSync(path.join(destination, "base", "a", "b.txt"), "utf8"), "b");
    assert.deepEqual(
      readdirSync(scratch).filter((name) => name.includes(".partial-")),
      [],
    );
  });

  it("a tarball and the folder it came from resolve to the same hash", async () => {
    const dir = path.join(scratch, "hash-folder");
    mkdirSync(path.join(dir, "base"), { recursive: true });
    writeFileSync(path.join(dir, "base", "x.txt"), "x");
    writeFileSync(path.join(scratch, "hash.tgz"), makeTar([{ name: "pack/base/x.txt", contents: "x" }]));
    const common = { base: scratch, cliVersion: "0.1.0", targets: ["express"], schemas: ["none"] };
    const fromFolder = await loadPack("./hash-folder", common);
    const fromTarball = await loadPack("./hash.tgz", common);
    assert.equal(fromFolder.resolved, fromTarball.resolved);
    assert.equal(fromFolder.resolved, hashFiles(new Map([["base/x.txt", Buffer.from("x")]])));
  });

  it("hashes only what rendering reads: layer folders and pack.json, not notes, snapshots or CI", async () => {
    const dir = path.join(scratch, "hash-read");
    mkdirSync(path.join(dir, "base"), { recursive: true });
    writeFileSync(path.join(dir, "base", "x.txt"), "x");
    const common = { base: scratch, cliVersion: "0.1.0", targets: ["express"], schemas: ["none"] };
    const before = (await loadPack("./hash-read", common)).resolved;
    mkdirSync(path.join(dir, "snapshots", "express-none-blank"), { recursive: true });
    mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
    writeFileSync(path.join(dir, "NOTES.md"), "notes");
    writeFileSync(path.join(dir, "snapshots", "express-none-blank", "README.md"), "render");
    writeFileSync(path.join(dir, ".github", "workflows", "check.yml"), "on: push");
    writeFileSync(path.join(dir, "package.json"), "{}");
    assert.equal((await loadPack("./hash-read", common)).resolved, before);
    writeFileSync(path.join(dir, "pack.json"), JSON.stringify({ questions: [] }));
    const withManifest = (await loadPack("./hash-read", common)).resolved;
    assert.notEqual(withManifest, before, "pack.json (the questions) counts");
    writeFileSync(path.join(dir, "base", "x.txt"), "y");
    assert.notEqual((await loadPack("./hash-read", common)).resolved, withManifest, "a template counts");
  });
});

describe("pack.json", () => {
  it("accepts a full manifest", () => {
    const manifest = validate({
      name: "@acme/mw-pack",
      version: "2.0.0",
      description: "Acme's middleware",
      targets: ["express"],
      schemas: ["zod"],
      engines: { "create-middleware": ">=0.1.0" },
      questions: [
        { key: "team", type: "text", message: "Team?", default: "core", validate: { pattern: "^[a-z]+$", message: "lowercase letters" } },
        { key: "region", type: "select", message: "Region?", choices: ["eu", { value: "us", title: "United States" }], default: "eu" },
        { key: "audit", type: "confirm", message: "Audit?", default: false, when: { var: "target", equals: "express" } },
        {
          key: "sinks",
          type: "multiselect",
          message: "Sinks?",
          choices: ["file", "http"],
          default: [],
          when: { not: { var: "region", in: ["us"] } },
        },
      ],
    });
    assert.equal(manifest.questions.length, 4);
    assert.deepEqual(manifest.questions[1]!.choices, [
      { value: "eu", title: "eu" },
      { value: "us", title: "United States" },
    ]);
    assert.equal(manifest.minimumVersion, "0.1.0");
  });

  for (const [what, raw, message] of [
    ["an unknown field", { nmae: "x" }, 'pack.json: the manifest has an unknown field "nmae"'],
    ["a wrong type", { version: 2 }, "pack.json: version must be a string, got 2."],
    ["an unknown target", { targets: ["koa"] }, 'pack.json: targets[0] "koa" is not one of express, socket.io.'],
    [
      "a select default outside its choices",
      { questions: [{ key: "r", type: "select", message: "R?", choices: ["a"], default: "b" }] },
      'pack.json: questions[0].default "b" is not one of the choices (a).',
    ],
    [
      "a duplicate key",
      {
        questions: [
          { key: "r", type: "text", message: "R?" },
          { key: "r", type: "text", message: "R?" },
        ],
      },
      'pack.json: questions[1].key "r" is used by an earlier question.',
    ],
    ["a reserved key", { questions: [{ key: "target", type: "text", message: "R?" }] }, 'pack.json: questions[0].key "target" is reserved.'],
    [
      "an unknown question type",
      { questions: [{ key: "r", type: "color", message: "R?" }] },
      'pack.json: questions[0].type "color" is not one of text, number, confirm, select, multiselect.',
    ],
    [
      "a select without choices",
      { questions: [{ key: "r", type: "select", message: "R?" }] },
      "pack.json: questions[0].choices must be a non-empty array, got undefined.",
    ],
    [
      "a bad pattern",
      { questions: [{ key: "r", type: "text", message: "R?", validate: { pattern: "(", message: "m" } }] },
      "questions[0].validate.pattern is not a valid regular expression",
    ],
    [
      "a default that fails its pattern",
      { questions: [{ key: "r", type: "text", message: "R?", default: "A", validate: { pattern: "^[a-z]+$", message: "m" } }] },
      'questions[0].default "A" does not match its own validate.pattern.',
    ],
    [
      "an example that fails its pattern",
      { questions: [{ key: "r", type: "text", message: "R?", example: "A", validate: { pattern: "^[a-z]+$", message: "m" } }] },
      'questions[0].example "A" does not match its own validate.pattern.',
    ],
    [
      "an example of the wrong type",
      { questions: [{ key: "r", type: "number", message: "R?", example: "3" }] },
      'questions[0].example must be a finite number, got "3".',
    ],
    [
      "a condition on a later question",
      {
        questions: [
          { key: "a", type: "text", message: "A?", when: { var: "b", equals: "x" } },
          { key: "b", type: "text", message: "B?" },
        ],
      },
      'questions[0].when.var "b" is neither an earlier question',
    ],
    [
      "a condition with code in it",
      { questions: [{ key: "a", type: "text", message: "A?", when: "target === 'express'" }] },
      "questions[0].when must be a condition object",
    ],
    ["a too-new pack", { engines: { "create-middleware": ">=9.0.0" } }, "this pack needs create-middleware 9.0.0 or later; this is 0.1.0"],
    [
      "a terminal escape in a message",
      { questions: [{ key: "r", type: "text", message: "R?\u001b[2J" }] },
      "questions[0].message is not plain text: It contains the control character",
    ],
    [
      "a line feed in a choice title",
      { questions: [{ key: "r", type: "select", message: "R?", choices: [{ value: "a", title: "A\nB" }] }] },
      "is not plain text",
    ],
  ] as const) {
    it(`refuses ${what} with a precise message`, () => {
      assert.throws(
        () => validate(raw),
        (error: Error) => error instanceof UsageError && error.message.includes(message),
      );
    });
  }

  it("refuses invalid JSON naming the file", () => {
    assert.throws(() => parseManifest("{", manifestOptions), /pack\.json: is not valid JSON/);
  });

  it("evaluates conditions as data", () => {
    const facts = { target: "express", region: "eu", sinks: ["file"] };
    assert.equal(evaluateCondition({ var: "target", equals: "express" }, facts), true);
    assert.equal(evaluateCondition({ var: "region", in: ["us", "ca"] }, facts), false);
    assert.equal(evaluateCondition({ var: "sinks", includes: "file" }, facts), true);
    assert.equal(evaluateCondition({ not: { var: "region", equals: "eu" } }, facts), false);
    assert.equal(
      evaluateCondition(
        {
          all: [
            { var: "target", equals: "express" },
            {
              any: [
                { var: "region", equals: "us" },
                { var: "sinks", includes: "file" },
              ],
            },
          ],
        },
        facts,
      ),
      true,
    );
  });
});

describe("pack questions", () => {
  const manifest = validate({
    questions: [
      { key: "team", type: "text", message: "Team?", validate: { pattern: "^[a-z]+$", message: "lowercase letters only" } },
      { key: "retries", type: "number", message: "Retries?", default: 3 },
      { key: "audit", type: "confirm", message: "Audit?", default: false },
      { key: "region", type: "select", message: "Region?", choices: ["eu", "us"], default: "eu" },
      { key: "sinks", type: "multiselect", message: "Sinks?", choices: ["file", "http"], default: ["file"], when: { var: "audit", equals: true } },
    ],
  });

  it("answers from --var, then the answers file, then config, then the prompt, then the default", async () => {
    const asked: string[] = [];
    const result = await resolvePackVars(manifest.questions, {
      flags: parseVarFlags(["team=core", "audit=yes"]),
      answers: { retries: 5 },
      config: { retries: 9, region: "us", team: "ignored" },
      ask: async (question) => {
        asked.push(question.key);
        return ["http"];
      },
    });
    assert.deepEqual(result.vars, { team: "core", retries: 5, audit: true, region: "us", sinks: ["http"] });
    assert.deepEqual(result.sources, { team: "flag", retries: "answers", audit: "flag", region: "config", sinks: "prompt" });
    assert.deepEqual(asked, ["sinks"]);
  });

  it("update -i (reask): every question is asked, the earlier answer offered as its default; a flag still answers unasked", async () => {
    const offered: Record<string, unknown> = {};
    const result = await resolvePackVars(manifest.questions, {
      flags: parseVarFlags(["team=core"]),
      answers: { retries: 5, audit: true, region: "us", sinks: ["http"] },
      config: { retries: 9, region: "eu" },
      reask: true,
      ask: async (question) => {
        offered[question.key] = question.default;
        return question.key === "retries" ? 7 : (question.default ?? null)!;
      },
    });
    assert.deepEqual(
      offered,
      { retries: 5, audit: true, region: "us", sinks: ["http"] },
      "the answers file's values, over config and the pack's defaults",
    );
    assert.deepEqual(result.vars, { team: "core", retries: 7, audit: true, region: "us", sinks: ["http"] });
    assert.equal(result.sources.team, "flag");
    assert.equal(result.sources.retries, "prompt");
  });

  it("update -i offers the pack's own default when the earlier answer no longer answers the question (a choice dropped)", async () => {
    let offered: unknown;
    await resolvePackVars(manifest.questions, {
      flags: { team: "core" },
      answers: { region: "apac" },
      reask: true,
      ask: async (question) => {
        if (question.key === "region") offered = question.default;
        return question.default ?? false;
      },
    });
    assert.equal(offered, "eu");
  });

  it("skips a question whose condition is false (null), and takes defaults without a prompt", async () => {
    const result = await resolvePackVars(manifest.questions, { flags: { team: "core" } });
    assert.deepEqual(result.vars, { team: "core", retries: 3, audit: false, region: "eu", sinks: null });
    assert.equal(result.sources.sinks, "skipped");
  });

  it("without a default and a terminal names the --var to pass", async () => {
    await assert.rejects(resolvePackVars(manifest.questions, {}), /Pack question "team" \(Team\?\) has no answer: .* Pass --var team=<value>\./);
  });

  it("takes a question's example only when asked to (check), after the default", async () => {
    const withExample = validate({
      questions: [
        { key: "team", type: "text", message: "Team?", example: "payments" },
        { key: "n", type: "number", message: "N?", default: 1, example: 2 },
      ],
    });
    const result = await resolvePackVars(withExample.questions, { examples: true });
    assert.deepEqual(result.vars, { team: "payments", n: 1 });
    assert.deepEqual(result.sources, { team: "example", n: "default" });
    await assert.rejects(resolvePackVars(withExample.questions, {}), /Pack question "team" \(Team\?\) has no answer/);
    await assert.rejects(
      resolvePackVars(manifest.questions, { examples: true, unasked: "check asks no questions" }),
      /and check asks no questions\. Pass --var team=<value>\./,
    );
  });

  it("checks every value against the question, whatever its tier", async () => {
    await assert.rejects(resolvePackVars(manifest.questions, { flags: { team: "Core" } }), /"Core" from --var is invalid: lowercase letters only/);
    await assert.rejects(
      resolvePackVars(manifest.questions, { flags: { team: "a" }, config: { region: "mars" } }),
      /"mars" from the team config is invalid: expected one of eu, us/,
    );
    await assert.rejects(resolvePackVars(manifest.questions, { flags: { team: "a", retries: "many" } }), /expected a number/);
    await assert.rejects(resolvePackVars(manifest.questions, { flags: { team: "a".repeat(1001) } }), /longer than 1000 characters/);
  });

  it("refuses an unknown --var, listing the pack's questions", async () => {
    await assert.rejects(
      resolvePackVars(manifest.questions, { flags: { tema: "x" } }),
      /Unknown --var "tema": this pack's questions are team, retries, audit, region, sinks/,
    );
    assert.throws(() => parseVarFlags(["novalue"]), /Invalid --var "novalue"/);
  });

  it("the prompt's validator applies the pattern", async () => {
    let verdicts: Array<string | undefined> = [];
    await resolvePackVars(manifest.questions, {
      ask: async (question, check) => {
        if (question.key === "team") {
          verdicts = [check("Bad"), check("good")];
          return "good";
        }
        return question.default ?? "";
      },
    });
    assert.deepEqual(verdicts, ["lowercase letters only", undefined]);
  });

  it("without a manifest passes the given vars through", async () => {
    const result = await resolvePackVars(undefined, { flags: { a: "1" }, config: { a: "0", b: true } });
    assert.deepEqual(result.vars, { a: "1", b: true });
  });
});
