/**
 * What the first week's messages say (issue 24.8): the exit code the docs promise, a suggestion the
 * command can follow, and a tool's failure summarised instead of pasted raw.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO, runCli, tempDir } from "../helpers/cli.js";

const QUICK = ["--yes", "--no-install", "--no-git"];

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-messages-");
});
after(() => work.remove());

const run = (args: string[], cwd = work.path, env?: NodeJS.ProcessEnv) => runCli(args, { cwd, ...(env ? { env } : {}) });

describe("messages", () => {
  it("outdated with its recorded pack folder gone: exit 1, and the --template it suggests exists", async () => {
    mkdirSync(path.join(work.path, "pack", "express", "_partials"), { recursive: true });
    writeFileSync(path.join(work.path, "pack", "express", "_partials", "readme-more.hbs"), "\n## Support\n\nAsk us.\n");
    const made = await run(["moved", ...QUICK, "--template", "./pack"]);
    assert.equal(made.code, 0, made.stderr);
    renameSync(path.join(work.path, "pack"), path.join(work.path, "pack-moved"));
    const pkg = path.join(work.path, "moved");
    const gone = await run(["outdated"], pkg);
    assert.equal(gone.code, 1, gone.stderr);
    assert.match(gone.stderr, /template pack "\.\.\/pack" \(recorded in \.create-middleware\.json, relative to the package\) cannot be used/);
    assert.match(gone.stderr, /create-middleware outdated --template <source>/);
    const pointed = await run(["outdated", "--template", "../pack-moved"], pkg);
    assert.equal(pointed.code, 0, pointed.stderr);
    assert.match(pointed.stdout, /^moved is up to date with its templates/m);
  });

  it("a #ref on a path that is no git repository is a failed fetch (exit 1), not a malformed source", async () => {
    mkdirSync(path.join(work.path, "plain-folder"), { recursive: true });
    for (const source of ["./plain-folder#v1", "./no-such-repo#v1"]) {
      const result = await run(["ref-pack", ...QUICK, "--template", source]);
      assert.equal(result.code, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /malformed/);
      assert.match(result.stderr, /Could not fetch the template pack ".*#v1": .*(is not a bare git repository|there is no git repository at)/);
    }
  });

  it("npm's JSON error is summarised in a sentence, not pasted as JSON", async () => {
    // A stand-in npm that fails as `npm pack --json` does for a package the registry does not have.
    const bin = path.join(work.path, "fake-npm");
    mkdirSync(bin, { recursive: true });
    const error = {
      error: {
        code: "E404",
        summary: "Not Found - GET https://registry.npmjs.org/@acme%2fmw-pack",
        detail:
          "The requested resource '@acme/mw-pack@*' could not be found or you do not have permission to access it.\n\nNote that you can also install from a\ntarball, folder, http url, or git url.",
      },
    };
    writeFileSync(path.join(bin, "npm"), `#!/bin/sh\ncat <<'EOF'\n${JSON.stringify(error, null, 2)}\nEOF\nexit 1\n`, { mode: 0o755 });
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, XDG_CACHE_HOME: path.join(work.path, "cache") };
    const result = await run(["npm-pack", ...QUICK, "--template", "npm:@acme/mw-pack"], work.path, env);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /Could not fetch the template pack "npm:@acme\/mw-pack": npm E404 Not Found - GET https:\/\/registry\.npmjs\.org\/@acme%2fmw-pack\. The requested resource '@acme\/mw-pack@\*' could not be found or you do not have permission to access it\.\n$/,
    );
    assert.doesNotMatch(result.stderr, /[{}"]error"/);
  });
});

describe("synopses", () => {
  /** The flags a --help lists: each as its spellings, the long one first ("--schema", "-s"). */
  const flagsOf = (help: string) =>
    [...help.matchAll(/^ {2}(?:(-\w), )?(--[a-z][a-z-]*)/gm)]
      .map((match) => [match[2]!, ...(match[1] ? [match[1]] : [])])
      .filter(([flag]) => !["--help", "--version"].includes(flag!));
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const usage = readme.slice(readme.indexOf("## Usage"), readme.indexOf("### Exit codes"));
  const synopsis = (command: string) =>
    command === "create"
      ? usage.slice(0, usage.indexOf("create-middleware check"))
      : (/```\n[\s\S]*?```/
          .exec(usage)![0]
          .split(/\n(?=create-middleware )/)
          .find((line) => line.startsWith(`create-middleware ${command} `)) ?? "");
  const docsCheck = readFileSync(path.join(REPO, "docs", "check.md"), "utf8");

  for (const command of ["create", "check", "update", "outdated", "diff", "link"]) {
    it(`every flag of ${command} --help is in the README's synopsis${command === "check" ? " and docs/check.md's" : ""}`, async () => {
      const result = await run(command === "create" ? ["--help"] : [command, "--help"]);
      assert.equal(result.code, 0, result.stderr);
      const flags = flagsOf(result.stdout);
      assert.ok(flags.length > 2, result.stdout);
      const text = synopsis(command);
      const names = (spelling: string) => new RegExp(`(^|[\\s\\[,])${spelling}(?![\\w-])`, "m");
      for (const spellings of flags)
        assert.ok(
          spellings.some((spelling) => names(spelling).test(text)),
          `README's ${command} synopsis lacks ${spellings[0]}`,
        );
      if (command === "check") {
        const block = /```\ncreate-middleware check[\s\S]*?```/.exec(docsCheck)![0];
        for (const spellings of flags)
          assert.ok(
            spellings.some((spelling) => names(spelling).test(block)),
            `docs/check.md's synopsis lacks ${spellings[0]}`,
          );
      }
    });
  }
});
