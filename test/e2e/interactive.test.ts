/**
 * The real prompts, driven through a pseudo-terminal (tmux): answer every question, and cancel one.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { tempDir } from "../helpers/cli.js";
import { driveInTmux, hasTmux, keys, screen, text, waitFor } from "../helpers/tmux.js";

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-tty-");
});
after(() => work.remove());

describe("interactive prompts", { skip: hasTmux ? false : "tmux is not installed" }, () => {
  it("asks target, starter, schema, description and options, and uses the answers", async () => {
    const session = `cm-answer-${process.pid}`;
    const code = await driveInTmux(session, ["interactive-auth", "--no-install", "--no-git"], { cwd: work.path }, async () => {
      await waitFor(session, /Which framework/);
      keys(session, "Down", "Enter"); // Socket.IO
      await waitFor(session, /What does the middleware do\?/);
      assert.match(screen(session), /rate-limit/, "only Socket.IO's starters are offered");
      assert.doesNotMatch(screen(session), /request-time/);
      keys(session, "Enter"); // the default, auth, is preselected
      await waitFor(session, /Validate the middleware's options/);
      keys(session, "Down", "Enter"); // zod
      await waitFor(session, /Description/);
      text(session, "Checks tokens");
      keys(session, "Enter");
      await waitFor(session, /Repository URL/);
      text(session, "acme/interactive-auth");
      keys(session, "Enter");
      await waitFor(session, /Add an option|Keep them/);
      if (/Keep them/.test(screen(session))) keys(session, "n", "Enter"); // only the option typed below
      await waitFor(session, /Add an option \(/);
      text(session, "level:info|debug=info");
      keys(session, "Enter");
      await waitFor(session, /Add another option/);
      keys(session, "Enter");
    });
    assert.equal(code, 0);
    const pkg = JSON.parse(await readFile(path.join(work.path, "interactive-auth", "package.json"), "utf8")) as {
      description: string;
      repository: { url: string };
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    assert.equal(pkg.description, "Checks tokens");
    assert.equal(pkg.repository.url, "git+https://github.com/acme/interactive-auth.git");
    assert.ok(pkg.dependencies.zod);
    assert.ok(pkg.peerDependencies["socket.io"]);
    assert.match(await readFile(path.join(work.path, "interactive-auth", "src", "options.ts"), "utf8"), /level/);
    assert.match(await readFile(path.join(work.path, "interactive-auth", "src", "index.ts"), "utf8"), /socket\.handshake\.auth/, "the auth starter");
  });

  it("asks a team pack's own questions as their types say, validating the answers", async () => {
    const pack = path.join(work.path, "tty-pack");
    mkdirSync(path.join(pack, "base"), { recursive: true });
    writeFileSync(
      path.join(pack, "pack.json"),
      JSON.stringify({
        questions: [
          { key: "team", type: "text", message: "Owning team?", validate: { pattern: "^[a-z]+$", message: "lowercase letters only" } },
          { key: "region", type: "select", message: "Region?", choices: ["eu", "us"], default: "eu" },
          { key: "audit", type: "confirm", message: "Audit log?", default: false },
        ],
      }),
    );
    writeFileSync(path.join(pack, "base", "OWNERS.md.hbs"), "{{vars.team}} {{vars.region}} {{vars.audit}}\n");
    const session = `cm-pack-${process.pid}`;
    // Every built-in question answered by a flag, so the prompts shown are the pack's.
    const flags = [
      "-t",
      "express",
      "--starter",
      "request-id",
      "-s",
      "none",
      "-d",
      "x",
      "-o",
      "level:string",
      "--repo",
      "https://github.com/acme/tty-pack-out",
      "--no-install",
      "--no-git",
      "--template",
      "./tty-pack",
    ];
    const code = await driveInTmux(session, ["tty-pack-out", ...flags], { cwd: work.path }, async () => {
      await waitFor(session, /Owning team\?|starter/i);
      if (!/Owning team\?/.test(screen(session))) {
        keys(session, "Enter"); // a starter question, when the CLI has one: its default
        await waitFor(session, /Owning team\?/);
      }
      text(session, "Core");
      keys(session, "Enter");
      await waitFor(session, /lowercase letters only/);
      keys(session, "BSpace", "BSpace", "BSpace", "BSpace");
      text(session, "core");
      keys(session, "Enter");
      await waitFor(session, /Region\?/);
      keys(session, "Down", "Enter");
      await waitFor(session, /Audit log\?/);
      text(session, "y");
    });
    assert.equal(code, 0);
    assert.equal(await readFile(path.join(work.path, "tty-pack-out", "OWNERS.md"), "utf8"), "core us true\n");
  });

  it("Ctrl-C at a prompt exits 130 and writes nothing", async () => {
    const session = `cm-cancel-${process.pid}`;
    const code = await driveInTmux(session, ["cancelled", "--no-install", "--no-git"], { cwd: work.path }, async () => {
      await waitFor(session, /Which framework/);
      keys(session, "C-c");
    });
    assert.equal(code, 130);
    assert.ok(!existsSync(path.join(work.path, "cancelled")));
  });
});
