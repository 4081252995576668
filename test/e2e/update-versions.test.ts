/**
 * A pack's versions, against the built CLI and local git remotes (never the network): what a git source's
 * ref means (no ref: the highest version tag, as copier's tests/test_vcs.py::test_select_latest_version_tag expects of a
 * template without --vcs-ref; #HEAD: the default branch; #semver:^2: a range), and `outdated` reporting current, wanted and
 * latest like `npm outdated` (for an npm pack too, from a one-package registry on 127.0.0.1), from the
 * cache within seconds when the remote or registry is down.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
let env: NodeJS.ProcessEnv;
let bare: string;
const commits: Record<string, string> = {};

const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
};
const cm = (cwd: string, ...args: string[]) => runCli(args, { cwd, env, timeoutMs: 60_000 });
const recorded = (pkg: string) =>
  JSON.parse(readFileSync(path.join(pkg, ".create-middleware.json"), "utf8")).template as { source: string; resolved: string };

/** One commit of the pack per version, tagged; "main" moves on past the last tag. */
function commitPack(source: string, label: string, tag?: string): void {
  mkdirSync(path.join(source, "base"), { recursive: true });
  writeFileSync(path.join(source, "base", "TEAM.md"), `pack ${label}\n`);
  git(source, "add", "-A");
  git(source, "commit", "-qm", label);
  if (tag) git(source, "tag", tag);
  commits[label] = git(source, "rev-parse", "HEAD");
}

before(async () => {
  work = await tempDir("cm-update-versions-");
  const config = path.join(work.path, "gitconfig");
  writeFileSync(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n");
  env = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1", CREATE_MIDDLEWARE_CACHE: path.join(work.path, "cache") };
  const source = path.join(work.path, "pack-source");
  mkdirSync(source);
  git(source, "init", "-q", "-b", "main");
  commitPack(source, "v1.0.0", "v1.0.0");
  commitPack(source, "2.0.0", "2.0.0"); // the v is optional
  commitPack(source, "v2.1.0", "v2.1.0");
  commitPack(source, "v10.0.0", "v10.0.0"); // v10 > v2, not by string order
  commitPack(source, "v11.0.0-beta.1", "v11.0.0-beta.1"); // a prerelease: ignored
  commitPack(source, "release-candidate", "stable"); // not a version: ignored
  commitPack(source, "main");
  bare = path.join(work.path, "pack.git");
  git(work.path, "clone", "-q", "--bare", source, bare);
});
after(() => work.remove());

describe("what a git source's ref means (copier tests/test_vcs.py::test_select_latest_version_tag, tests/test_copy.py::test_copy_with_vcs_ref_branch, ::test_tag_autodetect_v_prefix_optional)", () => {
  for (const [ref, label] of [
    ["", "v10.0.0"],
    ["#HEAD", "main"],
    ["#semver:^2", "v2.1.0"],
    ["#v1.0.0", "v1.0.0"],
  ] as const) {
    it(`git+file://…${ref || " (no ref)"} -> ${label}`, async () => {
      const name = `pkg-${label.replace(/\W/g, "-")}`;
      const made = await cm(work.path, name, "--yes", "--no-install", "--no-git", "--template", `git+file://${bare}${ref}`);
      assert.equal(made.code, 0, made.stderr);
      assert.equal(recorded(path.join(work.path, name)).resolved, commits[label]);
      assert.equal(readFileSync(path.join(work.path, name, "TEAM.md"), "utf8"), `pack ${label}\n`);
    });
  }

  it("#semver: with no tag in range is a clear failure (exit 1) naming the range (no copier or cruft test: neither takes a range)", async () => {
    const made = await cm(work.path, "pkg-none", "--yes", "--no-install", "--no-git", "--template", `git+file://${bare}#semver:^3`);
    assert.equal(made.code, 1, made.stderr);
    assert.match(made.stderr, /no version tag in \^3/);
  });
});

describe("outdated reports current, wanted and latest, npm outdated's columns (copier tests/test_check_update.py::test_with_updated_template_no_opts, ::test_without_updated_template_no_opts)", () => {
  it("a pack pinned to #v1.0.0 (the README's form) is behind when v10.0.0 exists: exit 1, the table, how to move", async () => {
    const pkg = path.join(work.path, "pkg-v1-0-0");
    const result = await cm(pkg, "outdated");
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /Pack\s+Current\s+Wanted\s+Latest/);
    assert.match(result.stdout, /#v1\.0\.0\s+v1\.0\.0\s+v1\.0\.0\s+v10\.0\.0/);
    assert.match(result.stdout, /v10\.0\.0 is outside what .*#v1\.0\.0 allows/);
    const json = JSON.parse((await cm(pkg, "outdated", "--json")).stdout);
    assert.deepEqual(
      { ...json.versions, source: undefined },
      { source: undefined, current: "v1.0.0", wanted: "v1.0.0", latest: "v10.0.0", cachedAt: null, behind: true },
    );
  });

  it("a #semver:^2 pack at v2.1.0: wanted v2.1.0, latest v10.0.0", async () => {
    const json = JSON.parse((await cm(path.join(work.path, "pkg-v2-1-0"), "outdated", "--json")).stdout);
    assert.equal(json.versions.current, "v2.1.0");
    assert.equal(json.versions.wanted, "v2.1.0");
    assert.equal(json.versions.latest, "v10.0.0");
  });

  it("with no ref, at the highest tag: up to date (exit 0)", async () => {
    const result = await cm(path.join(work.path, "pkg-v10-0-0"), "outdated");
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /v10\.0\.0\s+v10\.0\.0\s+v10\.0\.0/);
  });

  it("update --from ../clone: a version tagged only in a local clone comes in; the recorded source stays the canonical one; uncommitted edits there are named, not taken (cruft tests/test_api.py::test_update_locally_cloned_template; copier tests/test_vcs.py::test_local_dirty_clone)", async () => {
    const clone = path.join(work.path, "pack-clone");
    git(work.path, "clone", "-q", bare, clone);
    commitPack(clone, "v12.0.0", "v12.0.0");
    const pkg = path.join(work.path, "pkg-v10-0-0");
    const before = recorded(pkg);
    // An edit not committed in the clone is not taken (the pack is a commit), and the update says so.
    writeFileSync(path.join(clone, "base", "TEAM.md"), "pack uncommitted\n");
    const updated = await cm(pkg, "update", "--from", clone);
    assert.equal(updated.code, 0, updated.stdout + updated.stderr);
    assert.equal(readFileSync(path.join(pkg, "TEAM.md"), "utf8"), "pack v12.0.0\n");
    assert.match(updated.stdout + updated.stderr, /--from .*pack-clone has uncommitted changes \(base\/TEAM\.md\); they are not in the update/);
    assert.deepEqual(recorded(pkg), { source: before.source, resolved: commits["v12.0.0"] }, "the canonical source, at the clone's commit");
    const both = await cm(pkg, "update", "--from", clone, "--template", `git+file://${bare}`);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--from .* --template/);
  });

  it("update --template <source>#HEAD moves a package made from a tag to the untagged tip of the default branch; again: nothing to do (copier tests/test_updatediff.py::test_update_from_tagged_to_head)", async () => {
    const made = await cm(work.path, "pkg-tagged", "--yes", "--no-install", "--template", `git+file://${bare}#v2.1.0`);
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "pkg-tagged");
    const updated = await cm(pkg, "update", "--template", `git+file://${bare}#HEAD`);
    assert.equal(updated.code, 0, updated.stdout + updated.stderr);
    assert.equal(readFileSync(path.join(pkg, "TEAM.md"), "utf8"), "pack main\n");
    assert.deepEqual(recorded(pkg), { source: `git+file://${bare}#HEAD`, resolved: commits.main });
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "To HEAD");
    const again = await cm(pkg, "update");
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /up to date with its templates/);
    assert.equal(git(pkg, "status", "--porcelain"), "");
  });

  it("the remote gone: the answer comes from the cache within seconds, saying so; with no cache, exit 1 at once (no copier or cruft test)", async () => {
    const moved = `${bare}-away`;
    renameSync(bare, moved);
    try {
      const started = Date.now();
      const result = await cm(path.join(work.path, "pkg-v1-0-0"), "outdated");
      assert.ok(Date.now() - started < 15_000, "answered within seconds");
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /v1\.0\.0\s+v1\.0\.0\s+v10\.0\.0/);
      assert.match(result.stdout + result.stderr, /did not answer: versions as of .*, from the cache/);

      const empty = await runCli(["outdated"], {
        cwd: path.join(work.path, "pkg-v1-0-0"),
        env: { ...env, CREATE_MIDDLEWARE_CACHE: path.join(work.path, "empty-cache") },
        timeoutMs: 30_000,
      });
      assert.equal(empty.code, 1);
      assert.match(
        empty.stderr,
        /Cannot tell whether the template pack .* has newer versions: git ls-remote failed, and the cache holds no earlier answer/,
      );
    } finally {
      renameSync(moved, bare);
    }
  });
});

describe("an npm pack at ^1 hears of 2.0.0, from a one-package registry on 127.0.0.1 (copier tests/test_check_update.py::test_with_updated_template_no_opts, for a registry instead of tags)", () => {
  let server: Server;
  let npmEnv: NodeJS.ProcessEnv;
  const tarballs = new Map<string, Buffer>();
  let distTags: Record<string, string> = { latest: "1.1.0" };
  let down = false;

  /** npm pack of a pack folder at `version`: the tarball a registry would serve. */
  function packVersion(version: string): void {
    const folder = path.join(work.path, `npm-pack-${version}`);
    mkdirSync(path.join(folder, "base"), { recursive: true });
    writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: "mw-pack", version }));
    writeFileSync(path.join(folder, "pack.json"), JSON.stringify({ name: "mw-pack", version }));
    writeFileSync(path.join(folder, "base", "TEAM.md"), `npm pack ${version}\n`);
    const packed = spawnSync("npm", ["pack", "--silent", "--pack-destination", folder], {
      cwd: folder,
      encoding: "utf8",
      env: { ...process.env, ...npmEnv },
    });
    assert.equal(packed.status, 0, packed.stderr);
    tarballs.set(version, readFileSync(path.join(folder, packed.stdout.trim())));
  }

  before(async () => {
    server = createServer((request, response) => {
      if (down) return request.socket.destroy(); // a registry that drops every connection
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (request.url === "/mw-pack") {
        const versions = Object.fromEntries(
          [...tarballs].map(([version, data]) => [
            version,
            {
              name: "mw-pack",
              version,
              dist: {
                tarball: `${base}/mw-pack-${version}.tgz`,
                shasum: createHash("sha1").update(data).digest("hex"),
                integrity: `sha512-${createHash("sha512").update(data).digest("base64")}`,
              },
            },
          ]),
        );
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ name: "mw-pack", "dist-tags": distTags, versions }));
        return;
      }
      const tarball = /^\/mw-pack-(.+)\.tgz$/.exec(request.url ?? "");
      if (tarball && tarballs.has(tarball[1]!)) return response.end(tarballs.get(tarball[1]!));
      response.statusCode = 404;
      response.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    npmEnv = {
      npm_config_registry: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      npm_config_cache: path.join(work.path, "npm-cache"),
      npm_config_userconfig: path.join(work.path, "npmrc-none"),
      npm_config_update_notifier: "false",
      npm_config_audit: "false",
    };
    packVersion("1.0.0");
    packVersion("1.1.0");
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("made at ^1 (1.1.0); 2.0.0 published: current 1.1.0, wanted 1.1.0, latest 2.0.0, exit 1; registry down: from the cache within seconds", async () => {
    const run = (cwd: string, ...args: string[]) => runCli(args, { cwd, env: { ...env, ...npmEnv }, timeoutMs: 60_000 });
    const made = await run(work.path, "pkg-npm", "--yes", "--no-install", "--no-git", "--template", "npm:mw-pack@^1");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "pkg-npm");
    assert.equal(recorded(pkg).resolved, "1.1.0");

    const current = await run(pkg, "outdated");
    assert.equal(current.code, 0, current.stdout + current.stderr);

    packVersion("2.0.0");
    distTags = { latest: "2.0.0" };
    const behind = await run(pkg, "outdated");
    assert.equal(behind.code, 1, behind.stderr);
    assert.match(behind.stdout, /npm:mw-pack@\^1\s+1\.1\.0\s+1\.1\.0\s+2\.0\.0/);

    down = true;
    const started = Date.now();
    const cached = await run(pkg, "outdated");
    assert.ok(Date.now() - started < 20_000, `answered in ${Date.now() - started} ms`);
    assert.equal(cached.code, 1, cached.stderr);
    assert.match(cached.stdout, /1\.1\.0\s+1\.1\.0\s+2\.0\.0/);
    assert.match(cached.stdout + cached.stderr, /from the cache/);
    down = false;
  });
});

describe("a pack in a repository sub-folder: npm's ::path:<dir> after the ref (copier tests/test_subdirectory.py::test_copy_subdirectory_api_option, ::test_subdirectory_path_outside_template_root_on_copy_raises_error; cruft tests/test_api.py::test_directory_and_checkout)", () => {
  it("git+file://…#v1.0.0::path:packs/mw takes that folder as the pack and records the source as given; ../ is refused", async () => {
    const source = path.join(work.path, "monorepo-of-packs");
    mkdirSync(path.join(source, "packs", "mw", "base"), { recursive: true });
    mkdirSync(path.join(source, "packs", "other", "base"), { recursive: true });
    writeFileSync(path.join(source, "packs", "mw", "base", "TEAM.md"), "from packs/mw\n");
    writeFileSync(path.join(source, "packs", "other", "base", "TEAM.md"), "from packs/other\n");
    git(work.path, "init", "-q", "-b", "main", source);
    git(source, "add", "-A");
    git(source, "commit", "-qm", "packs");
    git(source, "tag", "v1.0.0");
    const given = `git+file://${source}#v1.0.0::path:packs/mw`;
    const made = await cm(work.path, "pkg-subfolder", "--yes", "--no-install", "--template", given);
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "pkg-subfolder");
    assert.equal(readFileSync(path.join(pkg, "TEAM.md"), "utf8"), "from packs/mw\n");
    assert.equal(recorded(pkg).source, given);
    assert.equal((await cm(pkg, "outdated")).code, 0, "the recorded source replays (the base and the next render agree)");
    const noRef = await cm(
      work.path,
      "pkg-subfolder-2",
      "--yes",
      "--no-install",
      "--no-git",
      "--template",
      `git+file://${source}#::path:packs/other`,
    );
    assert.equal(noRef.code, 0, noRef.stderr);
    assert.equal(readFileSync(path.join(work.path, "pkg-subfolder-2", "TEAM.md"), "utf8"), "from packs/other\n");

    const escaping = await cm(work.path, "pkg-escaping", "--yes", "--no-install", "--no-git", "--template", `git+file://${source}#v1.0.0::path:../x`);
    assert.equal(escaping.code, 2);
    assert.match(escaping.stderr, /::path:\.\.\/x" must name a folder inside the repository/);
  });
});

describe("diff --template <source>: the package against another version of its pack (cruft tests/test_cli.py::test_diff_checkout)", () => {
  it("lists what differs from the render of its answers at that version, exit 1 with --exit-code; the package and its answers file stay as they are; a source that is not there is exit 2", async () => {
    const made = await cm(work.path, "pkg-diff-other", "--yes", "--no-install", "--no-git", "--template", `git+file://${bare}#v1.0.0`);
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "pkg-diff-other");
    const answers = readFileSync(path.join(pkg, ".create-middleware.json"), "utf8");
    const own = await cm(pkg, "diff", "--exit-code");
    assert.equal(own.code, 0, own.stdout + own.stderr);
    assert.match(own.stdout, /no changes against the templates it was made from/);

    const other = await cm(pkg, "diff", "--template", `git+file://${bare}#v2.1.0`, "--exit-code");
    assert.equal(other.code, 1, other.stdout + other.stderr);
    assert.match(other.stdout, /^--- a\/TEAM\.md\n\+\+\+ b\/TEAM\.md$/m);
    assert.match(other.stdout, /^-pack v2\.1\.0\n\+pack v1\.0\.0$/m);

    // A change of the user's shows against either version; the pack's own difference only against the other.
    const index = path.join(pkg, "src", "index.ts");
    writeFileSync(index, `// ours\n${readFileSync(index, "utf8")}`);
    const stat = await cm(pkg, "diff", "--stat", "--template", `git+file://${bare}#v2.1.0`);
    assert.equal(stat.code, 0, stat.stderr);
    assert.deepEqual(stat.stdout.trim().split("\n"), ["modified  TEAM.md", "modified  src/index.ts"]);
    assert.deepEqual((await cm(pkg, "diff", "--stat")).stdout.trim().split("\n"), ["modified  src/index.ts"]);
    const same = await cm(pkg, "diff", "--stat", "--template", `git+file://${bare}#v1.0.0`);
    assert.deepEqual(same.stdout.trim().split("\n"), ["modified  src/index.ts"]);

    const json = JSON.parse((await cm(pkg, "diff", "--json", "--template", `git+file://${bare}#v2.1.0`)).stdout) as {
      base: { kind: string; source: string; resolved: string };
      files: { path: string; change: string }[];
    };
    assert.deepEqual(json.base, { kind: "template", source: `git+file://${bare}#v2.1.0`, resolved: commits["v2.1.0"] });
    assert.deepEqual(
      json.files.map((file) => [file.path, file.change]),
      [
        ["TEAM.md", "modified"],
        ["src/index.ts", "modified"],
      ],
    );
    assert.equal(readFileSync(path.join(pkg, "TEAM.md"), "utf8"), "pack v1.0.0\n", "diff writes nothing");
    assert.equal(readFileSync(path.join(pkg, ".create-middleware.json"), "utf8"), answers, "nor the answers file");

    const missing = await cm(pkg, "diff", "--template", "./no-such-pack");
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
    assert.match(missing.stderr, /no-such-pack/);
  });
});

describe("update --from <clone> to a commit not pushed yet, in a package without a git repository (no copier or cruft test: both need the template reachable at its recorded commit)", () => {
  it("the next diff finds the base in the pack cache (the clone's commit, fetched once); with an empty cache, update --from renders it from the clone", async () => {
    // No ref: the highest version tag, in the canonical repository or (with --from) in the clone.
    const made = await cm(work.path, "pkg-unpushed", "--yes", "--no-install", "--no-git", "--template", `git+file://${bare}`);
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "pkg-unpushed");
    const clone = path.join(work.path, "pack-clone-unpushed");
    git(work.path, "clone", "-q", bare, clone);
    commitPack(clone, "v13.0.0", "v13.0.0");
    const first = await cm(pkg, "update", "--from", clone);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(recorded(pkg).resolved, commits["v13.0.0"], "the recorded commit exists only in the clone");
    const index = path.join(pkg, "src", "index.ts");
    writeFileSync(index, `// ours\n${readFileSync(index, "utf8")}`);

    // The canonical repository has no such commit; the base is the render of the copy fetched from the clone.
    const drift = await cm(pkg, "diff", "--stat", "--exit-code");
    assert.equal(drift.code, 1, drift.stdout + drift.stderr);
    assert.equal(drift.stderr, "", "a difference, not a failure");
    assert.deepEqual(drift.stdout.trim().split("\n"), ["modified  src/index.ts"]);

    // Another machine (an empty pack cache): no base, until the commit is pushed or --from names a clone holding it.
    const elsewhere = { ...env, CREATE_MIDDLEWARE_CACHE: path.join(work.path, "cache-elsewhere") };
    const lost = await runCli(["diff", "--stat"], { cwd: pkg, env: elsewhere, timeoutMs: 60_000 });
    assert.equal(lost.code, 1, lost.stdout + lost.stderr);
    assert.match(lost.stderr, /Cannot find the base/);

    commitPack(clone, "v14.0.0", "v14.0.0");
    const second = await runCli(["update", "--from", clone, "--json"], { cwd: pkg, env: elsewhere, timeoutMs: 60_000 });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    const report = JSON.parse(second.stdout) as { base: { kind: string }; files: { path: string; status: string }[] };
    assert.equal(report.base.kind, "render");
    assert.deepEqual(
      report.files.filter((file) => file.path === "TEAM.md").map((file) => file.status),
      ["updated"],
    );
    assert.equal(readFileSync(path.join(pkg, "TEAM.md"), "utf8"), "pack v14.0.0\n");
    assert.match(readFileSync(index, "utf8"), /^\/\/ ours\n/, "the user's line is kept");

    // Once the tag is pushed (this describe is the file's last: the other tests saw the canonical repository without it), the canonical repository has it: a plain update finds nothing to do.
    git(clone, "push", "-q", "origin", "v14.0.0");
    const plain = await cm(pkg, "update", "--json");
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.deepEqual(
      (JSON.parse(plain.stdout) as { files: { status: string }[] }).files.filter((file) => file.status !== "unchanged"),
      [],
    );
  });
});
