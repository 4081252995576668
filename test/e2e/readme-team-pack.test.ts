/**
 * The README's worked team-pack example ("Team templates"), run as written: its commands and snippets are
 * read from README.md itself, so the example cannot drift from what the CLI does. Only the publishing step
 * is replaced (the config points at the pack's folder instead of npm), and installs and git are skipped.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO, runCli, tempDir } from "../helpers/cli.js";

const README = readFileSync(path.join(REPO, "README.md"), "utf8");
const section = README.slice(README.indexOf("## Team templates"), README.indexOf("\n## ", README.indexOf("## Team templates") + 3));
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang: lang!, body: body!.trim() }));

/** `npx create-middleware-package a b` -> ["a", "b"] (the README's commands hold no quoted arguments). */
function cliArgs(command: string): string[] {
  const match = /npx create-middleware-package (.*)$/.exec(command);
  assert.ok(match, `a create-middleware command: ${command}`);
  return match[1]!.split(/\s+/);
}

function filesUnder(root: string, base = root): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) for (const [file, contents] of filesUnder(full, base)) files.set(file, contents);
    else files.set(path.relative(base, full), readFileSync(full));
  }
  return files;
}

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-readme-pack-");
});
after(() => work.remove());

const QUICK = ["--no-install", "--no-git"];

describe("README: the worked team-pack example", () => {
  it("steps 1, 3, 4 and 5 work as written", async () => {
    const shell = blocks.filter((block) => block.lang === "sh");
    const json = blocks.filter((block) => block.lang === "json");
    assert.equal(shell.length, 2, "step 1 and step 4 commands");

    // 1. Make the pack, add the README's question and its CODEOWNERS template.
    const init = await runCli(cliArgs(shell[0]!.body), { cwd: work.path });
    assert.equal(init.code, 0, init.stderr);
    const pack = path.join(work.path, "mw-pack");
    const manifestFile = path.join(pack, "pack.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
    const questionsBlock = json.find((block) => block.body.startsWith('"questions"'));
    assert.ok(questionsBlock, "the questions snippet");
    Object.assign(manifest, JSON.parse(`{${questionsBlock.body}}`));
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    const codeowners = /a new `(mw-pack\/base\/CODEOWNERS\.hbs)` holding\s+`([^`]+)`/.exec(section);
    assert.ok(codeowners, "the CODEOWNERS sentence");
    writeFileSync(path.join(work.path, codeowners[1]!), `${codeowners[2]}\n`);

    // 4. Check it: the README's command, then what the written CI runs (the same without --update).
    const [cd, check] = shell[1]!.body.split(" && ");
    assert.equal(cd, "cd mw-pack");
    const snapshot = await runCli(cliArgs(check!), { cwd: pack, timeoutMs: 120_000 });
    assert.equal(snapshot.code, 0, snapshot.stderr);
    assert.doesNotMatch(snapshot.stderr, /terminal/);
    const ci = readFileSync(path.join(pack, ".github", "workflows", "check.yml"), "utf8");
    const ciSnapshot = /check --template \. --snapshot snapshots$/m.exec(ci);
    assert.ok(ciSnapshot, "check.yml runs the snapshot check");
    const again = await runCli(["check", "--template", ".", "--snapshot", "snapshots"], { cwd: pack, timeoutMs: 120_000 });
    assert.equal(again.code, 0, again.stderr);

    // 3. Use it from the team's config (the pack's folder standing in for the published package).
    const configBlock = json.find((block) => block.body.includes('"template"') && block.body.includes('"vars"'));
    assert.ok(configBlock, "the config snippet");
    const config = JSON.parse(configBlock.body) as Record<string, unknown>;
    const repo = path.join(work.path, "services");
    mkdirSync(repo);
    writeFileSync(path.join(repo, "create-middleware.config.json"), JSON.stringify({ ...config, template: "../mw-pack" }));
    const made = await runCli(["request-log", ...QUICK], { cwd: repo });
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(repo, "request-log");
    assert.equal(JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")).name, "@acme/request-log");
    assert.equal(readFileSync(path.join(pkg, "CODEOWNERS"), "utf8"), "* @acme/payments\n");

    // The pack's notes, CI and snapshots render nothing: editing them changes neither its hash nor `outdated`.
    writeFileSync(path.join(pack, "NOTES.md"), "Release notes of the pack.\n");
    writeFileSync(
      path.join(pack, ".github", "workflows", "check.yml"),
      `${readFileSync(path.join(pack, ".github", "workflows", "check.yml"), "utf8")}# edited\n`,
    );
    writeFileSync(path.join(pack, "snapshots", "README.md"), "Committed renders.\n");
    const outdated = await runCli(["outdated"], { cwd: pkg });
    assert.equal(outdated.code, 0, outdated.stdout + outdated.stderr);

    // 5. Regenerate exactly, as the README says (from the folder holding the package, into a copy of it),
    // and from folders at other depths: byte for byte each time, the recorded pack source included.
    const command = /`npx create-middleware-package (--answers request-log\/\.create-middleware\.json)`/.exec(section);
    assert.ok(command, "step 5's command");
    for (const [where, answers] of [
      ["sibling", "../services/request-log/.create-middleware.json"],
      ["deeper/and/deeper", "../../../services/request-log/.create-middleware.json"],
    ] as const) {
      const cwd = path.join(work.path, where);
      mkdirSync(cwd, { recursive: true });
      const replay = await runCli(["--answers", answers, ...QUICK], { cwd });
      assert.equal(replay.code, 0, replay.stderr);
      assert.deepEqual(filesUnder(path.join(cwd, "request-log")), filesUnder(pkg), where);
    }
    const inPlace = await runCli([...command[1]!.split(" "), ...QUICK, "--force"], { cwd: repo });
    assert.equal(inPlace.code, 0, inPlace.stderr);
    assert.deepEqual(filesUnder(pkg), filesUnder(path.join(work.path, "sibling", "request-log")), "in place");
  });
});
