/**
 * Fetching packs for real, without the network: a git pack from a local bare repository (through the
 * system git), an npm pack through `npm pack` with a file: spec, a .tgz built by tar, and the cache with
 * --offline. Every refusal leaves the cache without the pack.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { FailedError, UsageError } from "../../src/errors.js";
import { loadPack, type LoadPackOptions } from "../../src/packs/load-pack.js";
import { tempDir } from "../helpers/cli.js";
import { makeTar } from "../helpers/tar.js";

let scratch: { path: string; remove: () => Promise<void> };
let options: LoadPackOptions;
const cache = () => options.cacheRoot!;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "T",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "T",
      GIT_COMMITTER_EMAIL: "t@example.com",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
  }).trim();
}

function writePack(root: string, readme: string): void {
  mkdirSync(path.join(root, "base"), { recursive: true });
  writeFileSync(path.join(root, "base", "TEAM.md.hbs"), readme);
  writeFileSync(
    path.join(root, "pack.json"),
    JSON.stringify({ name: "@acme/mw-pack", version: "2.1.0", questions: [{ key: "team", type: "text", message: "Team?", default: "core" }] }),
  );
}

/** A bare repository with tag v1 (and main one commit later), as a team's git host would hold it. */
function bareRepository(name: string, populate: (work: string) => void): { url: string; v1: string; main: string } {
  const work = path.join(scratch.path, `${name}-work`);
  const bare = path.join(scratch.path, `${name}.git`);
  mkdirSync(work);
  git(work, "init", "-q", "-b", "main");
  populate(work);
  git(work, "add", "-A");
  git(work, "commit", "-qm", "v1");
  git(work, "tag", "v1");
  const v1 = git(work, "rev-parse", "HEAD");
  writeFileSync(path.join(work, "base", "TEAM.md.hbs"), "main\n");
  git(work, "commit", "-qam", "main");
  const main = git(work, "rev-parse", "HEAD");
  git(scratch.path, "clone", "-q", "--bare", work, bare);
  return { url: bare, v1, main };
}

before(async () => {
  scratch = await tempDir("cm-pack-sources-");
  options = {
    base: scratch.path,
    cacheRoot: path.join(scratch.path, "cache"),
    cliVersion: "0.1.0",
    targets: ["express", "socket.io"],
    schemas: ["none", "zod"],
  };
});
after(() => scratch.remove());

describe("git packs", () => {
  it("fetch a tag from a local bare repository, resolve it to its commit, and cache it", async () => {
    const repo = bareRepository("acme", (work) => writePack(work, "v1\n"));
    const pack = await loadPack(`git+file://${repo.url}#v1`, options);
    assert.equal(pack.resolved, repo.v1);
    assert.equal(pack.tree.files.get("base/TEAM.md.hbs")?.toString(), "v1\n");
    assert.equal(pack.manifest?.questions[0]?.key, "team");
    assert.equal(pack.fromCache, false);

    const head = await loadPack(`${repo.url}#HEAD`, options); // a plain path to a bare repository, at its default branch
    assert.equal(head.resolved, repo.main);
    assert.equal(head.tree.files.get("base/TEAM.md.hbs")?.toString(), "main\n");

    const offline = await loadPack(`git+file://${repo.url}#v1`, { ...options, offline: true });
    assert.equal(offline.resolved, repo.v1);
    assert.equal(offline.fromCache, true);
    const byCommit = await loadPack(`${repo.url}#${repo.v1}`, { ...options, offline: true });
    assert.equal(byCommit.resolved, repo.v1);
  });

  it("a full commit id the cache holds is taken from it online too: the repository gone (a clone's commit never pushed) or not, nothing is fetched", async () => {
    const repo = bareRepository("by-commit", (work) => writePack(work, "by commit\n"));
    const fetched = await loadPack(`git+file://${repo.url}#v1`, options);
    assert.equal(fetched.fromCache, false);
    renameSync(repo.url, `${repo.url}.gone`);
    const again = await loadPack(`git+file://${repo.url}#${repo.v1}`, options);
    assert.equal(again.resolved, repo.v1);
    assert.equal(again.fromCache, true);
    assert.equal(again.tree.files.get("base/TEAM.md.hbs")?.toString(), "by commit\n");
    // A tag still asks the repository: where it points may have moved.
    await assert.rejects(loadPack(`git+file://${repo.url}#v1`, options), (error: Error) => error instanceof FailedError);
  });

  it("--offline names the source and the cache when it misses", async () => {
    await assert.rejects(
      loadPack("github:acme/never-fetched#v9", { ...options, offline: true }),
      (error: Error) =>
        error instanceof FailedError &&
        /--offline: the template pack "github:acme\/never-fetched#v9" is not in the cache \(.*cache\)\. Run once without --offline/.test(
          error.message,
        ),
    );
  });

  it("a pin (an answers file's resolved commit) wins over where the ref points now", async () => {
    const repo = bareRepository("pinned", (work) => writePack(work, "pinned v1\n"));
    const pack = await loadPack(repo.url, { ...options, pin: repo.v1 });
    assert.equal(pack.resolved, repo.v1);
    assert.equal(pack.tree.files.get("base/TEAM.md.hbs")?.toString(), "pinned v1\n");
    assert.equal(pack.source.given, repo.url, "the source is recorded as given, not as the pin");
  });

  it("a missing ref or repository is a fetch failure (exit 1) naming the source and git's reason", async () => {
    const repo = bareRepository("refs", (work) => writePack(work, "x\n"));
    await assert.rejects(
      loadPack(`git+file://${repo.url}#nope`, options),
      (error: Error) => error instanceof FailedError && /Could not fetch the template pack "git\+file:.*#nope": `git clone/.test(error.message),
    );
    await assert.rejects(
      loadPack(`git+file://${scratch.path}/missing.git`, options),
      (error: Error) => error instanceof FailedError && /missing\.git/.test(error.message),
    );
  });

  it("a symbolic link in the repository refuses the pack before anything is cached", async () => {
    const repo = bareRepository("linked", (work) => {
      writePack(work, "x\n");
      symlinkSync("/etc/passwd", path.join(work, "base", "passwd.hbs"));
    });
    const before = existsSync(path.join(cache(), "packs", "git")) ? readdirSync(path.join(cache(), "packs", "git")) : [];
    await assert.rejects(
      loadPack(`git+file://${repo.url}#v1`, options),
      (error: Error) =>
        error instanceof UsageError &&
        /"base\/passwd\.hbs" is a symbolic link; a pack may hold only files and folders\. Nothing was written\./.test(error.message),
    );
    assert.deepEqual(readdirSync(path.join(cache(), "packs", "git")), before);
    assert.deepEqual(readdirSync(path.join(cache(), "tmp")), []);
  });
});

describe("npm packs", () => {
  it("fetch through npm pack (a file: spec), cached by name and version, replayable --offline", async () => {
    const folder = path.join(scratch.path, "npm-pack");
    writePack(folder, "npm\n");
    writeFileSync(
      path.join(folder, "package.json"),
      JSON.stringify({ name: "@acme/mw-pack", version: "2.1.0", files: ["base", "pack.json"], scripts: { prepack: "echo ran > ran.txt" } }),
    );
    const pack = await loadPack("npm:file:./npm-pack", options);
    assert.match(pack.resolved, /^2\.1\.0\+[0-9a-f]{64}$/, "the version and the content hash: a local folder can change under one version");
    assert.equal(pack.tree.files.get("base/TEAM.md.hbs")?.toString(), "npm\n");
    assert.equal(existsSync(path.join(folder, "ran.txt")), false, "no script of the pack ran");
    assert.ok(readdirSync(path.join(cache(), "packs", "npm")).some((name) => name.startsWith("acme+mw-pack@2.1.0")));
    const offline = await loadPack("npm:file:./npm-pack", { ...options, offline: true });
    assert.equal(offline.resolved, pack.resolved);
  });

  it("a package npm cannot fetch is exit 1 naming the source and npm's reason", async () => {
    await assert.rejects(
      loadPack("npm:file:./no-such-folder", options),
      (error: Error) =>
        error instanceof FailedError &&
        /Could not fetch the template pack "npm:file:\.\/no-such-folder": npm ENOENT Could not read package\.json/.test(error.message) &&
        !error.message.includes("{"),
    );
  });
});

describe("tarball packs", () => {
  it("a .tgz made by tar is read in memory and hashed like its folder", async () => {
    const folder = path.join(scratch.path, "tgz-src", "my-pack");
    writePack(folder, "tgz\n");
    execFileSync("tar", ["-czf", path.join(scratch.path, "my-pack.tgz"), "-C", path.dirname(folder), "my-pack"]);
    const fromTarball = await loadPack("./my-pack.tgz", options);
    const fromFolder = await loadPack("./tgz-src/my-pack", options);
    assert.equal(fromTarball.tree.files.get("base/TEAM.md.hbs")?.toString(), "tgz\n");
    assert.equal(fromTarball.resolved, fromFolder.resolved);
    assert.match(fromTarball.resolved, /^[0-9a-f]{64}$/);
  });
});

describe("npm packs from a registry", () => {
  let server: Server;
  let registry: string;
  const tarballs = new Map<string, Buffer>();

  before(async () => {
    for (const version of ["2.0.0", "2.1.0", "3.0.0"]) {
      tarballs.set(
        version,
        makeTar([
          { name: "package/package.json", contents: JSON.stringify({ name: "@acme/registry-pack", version }) },
          { name: "package/pack.json", contents: JSON.stringify({ name: "@acme/registry-pack", version }) },
          { name: "package/base/VERSION.md.hbs", contents: `${version}\n` },
        ]),
      );
    }
    // A registry of one package, enough for npm: its packument and its tarballs.
    server = createServer((request, response) => {
      const url = decodeURIComponent(request.url ?? "");
      const version = /\/-\/registry-pack-(.+)\.tgz$/.exec(url)?.[1];
      if (version && tarballs.has(version)) {
        response.writeHead(200, { "content-type": "application/octet-stream" });
        response.end(tarballs.get(version));
        return;
      }
      if (url === "/@acme/registry-pack") {
        const versions = Object.fromEntries(
          [...tarballs].map(([v, tgz]) => [
            v,
            {
              name: "@acme/registry-pack",
              version: v,
              dist: {
                tarball: `${registry}/@acme/registry-pack/-/registry-pack-${v}.tgz`,
                integrity: `sha512-${createHash("sha512").update(tgz).digest("base64")}`,
              },
            },
          ]),
        );
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ name: "@acme/registry-pack", "dist-tags": { latest: "3.0.0" }, versions }));
        return;
      }
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a range resolves through npm to the newest matching version; a pin fetches exactly; --offline reuses the range's last answer", async () => {
    const saved = { registry: process.env.npm_config_registry, cache: process.env.npm_config_cache };
    process.env.npm_config_registry = registry;
    process.env.npm_config_cache = path.join(scratch.path, "npm-cache");
    try {
      const pack = await loadPack("npm:@acme/registry-pack@^2", options);
      assert.equal(pack.resolved, "2.1.0");
      assert.equal(pack.tree.files.get("base/VERSION.md.hbs")?.toString(), "2.1.0\n");
      const pinned = await loadPack("@acme/registry-pack@^2", { ...options, pin: "2.0.0" });
      assert.equal(pinned.resolved, "2.0.0");
      assert.equal(pinned.tree.files.get("base/VERSION.md.hbs")?.toString(), "2.0.0\n");
      const offline = await loadPack("npm:@acme/registry-pack@^2", { ...options, offline: true });
      assert.equal(offline.resolved, "2.1.0");
      await assert.rejects(
        loadPack("npm:@acme/registry-pack@^9", options),
        (error: Error) =>
          error instanceof FailedError &&
          /Could not fetch the template pack "npm:@acme\/registry-pack@\^9": npm ETARGET No matching version found for @acme\/registry-pack@\^9\. /.test(
            error.message,
          ),
      );
    } finally {
      for (const [key, value] of [
        ["npm_config_registry", saved.registry],
        ["npm_config_cache", saved.cache],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
