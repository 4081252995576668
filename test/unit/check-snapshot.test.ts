/**
 * `check --snapshot`, the project's one snapshot system: the built-in templates against the committed
 * test/snapshots/matrix/ (every combination, every file) and test/snapshots/option-fields/ (a package with
 * --option fields), and the comparison's behaviour on a pack that changes a template: the right diff,
 * --update, removed files, stale folders (deleted only when check wrote them), render failures.
 * After an intended template change: UPDATE_SNAPSHOTS=1 node --import tsx --test test/unit/check-snapshot.test.ts
 * (or the `check --snapshot … --update` commands in CONTRIBUTING.md), review, commit.
 */
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { selectCombinations } from "../../src/check/matrix.js";
import { runSnapshotCheck, SNAPSHOT_PACK_RESOLVED, type SnapshotOptions } from "../../src/check/snapshot.js";
import { SNAPSHOT_MARKER, SNAPSHOT_MARKER_TEXT } from "../../src/check/snapshot-folder.js";
import { UsageError } from "../../src/errors.js";
import { loadTemplatePack } from "../../src/answers/resolver.js";
import { parseOptionSpecs } from "../../src/answers/option-fields.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const MATRIX = path.join(REPO, "test", "snapshots", "matrix");
/** `check --snapshot test/snapshots/option-fields -t socket.io -s zod --starter auth` with these --option specs. */
const OPTION_FIELDS = path.join(REPO, "test", "snapshots", "option-fields");
const OPTION_SPECS = ["level:info|debug=info", "tags:string[]"];
const update = process.env.UPDATE_SNAPSHOTS === "1";

const options = (overrides: Partial<SnapshotOptions>): SnapshotOptions => ({
  combinations: selectCombinations([], []),
  directory: MATRIX,
  update: false,
  complete: true,
  shard: undefined,
  fields: undefined,
  optionSpecs: [],
  template: undefined,
  cwd: REPO,
  ...overrides,
});

describe("snapshots of the built-in templates (test/snapshots/matrix)", () => {
  it("every combination renders exactly the committed files", async () => {
    const { report } = await runSnapshotCheck(options({ update }));
    const problems = report.combinations.filter((result) => result.status === "fail");
    assert.deepEqual(
      problems.map((result) => `${result.id}: ${result.render?.message ?? result.differences.map((entry) => entry.diff).join("\n")}`),
      [],
      "a template changed: review the diff, then UPDATE_SNAPSHOTS=1 (see the top of this file)",
    );
    assert.deepEqual(report.stale, []);
    assert.equal(report.ok, true);
    assert.equal(report.combinations.length, selectCombinations([], []).length);
  });

  it("a package with --option fields renders exactly the committed files", async () => {
    const combinations = selectCombinations(["socket.io"], ["zod"], { starters: ["auth"] });
    const { report } = await runSnapshotCheck(
      options({ combinations, directory: OPTION_FIELDS, fields: parseOptionSpecs(OPTION_SPECS), optionSpecs: OPTION_SPECS, complete: false, update }),
    );
    const problems = report.combinations.filter((result) => result.status === "fail");
    assert.deepEqual(
      problems.map((result) => `${result.id}: ${result.render?.message ?? result.differences.map((entry) => entry.diff).join("\n")}`),
      [],
      "a template changed: review the diff, then UPDATE_SNAPSHOTS=1 (see the top of this file)",
    );
    assert.deepEqual(
      report.combinations.map((result) => result.id),
      ["socket.io+zod+auth"],
    );
    assert.equal(report.ok, true);
    // The fields are in the committed options module: the snapshot is of a package with them.
    const committed = await readFile(path.join(OPTION_FIELDS, "socketio-zod-auth", "src", "options.ts"), "utf8");
    assert.match(committed, /level: z/);
    assert.match(committed, /tags: z/);
  });
});

describe("snapshot comparison", () => {
  let work: string;
  let pack: string;
  let snapshots: string;
  // Two combinations of the default matrix: express+none+blank, express+zod+request-id.
  const two = selectCombinations(["express"], ["none", "zod"], { starters: ["blank", "request-id"] });
  const EXTRA = "Extra line from the pack.";

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "cm-snapshot-"));
    // A pack that changes one base template: one more line at the end of the README.
    pack = path.join(work, "pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    const readme = await readFile(path.join(REPO, "templates", "base", "README.md.hbs"), "utf8");
    await writeFile(path.join(pack, "base", "README.md.hbs"), `${readme}${readme.endsWith("\n") ? "" : "\n"}${EXTRA}\n`);
    snapshots = path.join(work, "snapshots");
    for (const combination of two) await cp(path.join(MATRIX, combination.slug), path.join(snapshots, combination.slug), { recursive: true });
  });
  after(() => rm(work, { recursive: true, force: true }));

  it("a changed template fails with a unified diff of exactly that change", async () => {
    const { report } = await runSnapshotCheck(
      options({ combinations: two, directory: snapshots, template: await loadTemplatePack(pack, { base: REPO, offline: false }), complete: false }),
    );
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.combinations.map((result) => result.status),
      ["fail", "fail"],
    );
    const [none] = report.combinations;
    // The answers file now records the pack (a placeholder for its hash: see SNAPSHOT_PACK_RESOLVED).
    assert.deepEqual(
      none?.differences.map(({ file, change, source }) => ({ file, change, source })),
      [
        { file: ".create-middleware.json", change: "changed", source: "create-middleware" },
        { file: "README.md", change: "changed", source: "team pack/base/README.md.hbs" },
      ],
    );
    const answers = none?.differences[0]?.diff.split("\n").filter((line) => /^[-+](?![-+]{2} )/.test(line));
    assert.deepEqual(answers, [
      '-  "template": null,',
      '+  "template": {',
      '+    "source": "../../pack",',
      `+    "resolved": "${SNAPSHOT_PACK_RESOLVED}"`,
      "+  },",
    ]);
    const diff = none?.differences[1]?.diff ?? "";
    const lines = diff.split("\n");
    assert.equal(lines[0], "--- a/express-none-blank/README.md");
    assert.equal(lines[1], "+++ b/express-none-blank/README.md");
    assert.match(lines[2] ?? "", /^@@ -\d+,3 \+\d+,4 @@$/);
    assert.deepEqual(
      lines.filter((line) => /^[-+](?![-+]{2} )/.test(line)),
      [`+${EXTRA}`],
    );
    assert.deepEqual(
      report.failures.map((failure) => `${failure.combination} ${failure.step}`),
      ["express+none+blank snapshot", "express+zod+request-id snapshot"],
    );
  });

  it("--update rewrites what differs, deletes files no template makes, and then passes", async () => {
    const strayFile = path.join(snapshots, "express-none-blank", "src", "stray.ts");
    await writeFile(strayFile, "export {};\n");
    const { report } = await runSnapshotCheck(
      options({
        combinations: two,
        directory: snapshots,
        template: await loadTemplatePack(pack, { base: REPO, offline: false }),
        complete: false,
        update: true,
      }),
    );
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.combinations.map((result) => result.status),
      ["updated", "updated"],
    );
    assert.deepEqual(
      report.combinations[0]?.differences.map((entry) => `${entry.file} ${entry.change}`),
      [".create-middleware.json changed", "README.md changed", "src/stray.ts removed"],
    );
    assert.equal(existsSync(strayFile), false);
    assert.ok((await readFile(path.join(snapshots, "express-none-blank", "README.md"), "utf8")).endsWith(`${EXTRA}\n`));

    const again = await runSnapshotCheck(
      options({ combinations: two, directory: snapshots, template: await loadTemplatePack(pack, { base: REPO, offline: false }), complete: false }),
    );
    assert.deepEqual(
      again.report.combinations.map((result) => result.status),
      ["pass", "pass"],
    );
  });

  it("--update creates a missing combination folder whole", async () => {
    const { report } = await runSnapshotCheck(
      options({ combinations: selectCombinations(["sio"], ["none"], { starters: ["blank"] }), directory: snapshots, complete: false, update: true }),
    );
    assert.equal(report.combinations[0]?.status, "updated");
    assert.equal(
      report.combinations[0]?.differences.every((entry) => entry.change === "added"),
      true,
    );
    assert.equal(
      await readFile(path.join(snapshots, "socketio-none-blank", "package.json"), "utf8"),
      await readFile(path.join(MATRIX, "socketio-none-blank", "package.json"), "utf8"),
    );
  });

  it("with the whole matrix, a folder of no combination is stale; --update deletes only folders check wrote, each reported", async () => {
    const full = path.join(work, "full");
    await cp(MATRIX, full, { recursive: true });
    // Marked by an earlier --update, without package.json (issue 24 item 6): deleted.
    await mkdir(path.join(full, "express-oldschema"));
    await writeFile(path.join(full, "express-oldschema", SNAPSHOT_MARKER), SNAPSHOT_MARKER_TEXT);
    await writeFile(path.join(full, "express-oldschema", "README.md"), "old\n");
    // From before the marker: adopted, since its answers file records exactly the combination its name says.
    await cp(path.join(MATRIX, "express-none-blank"), path.join(full, "express-none-oldstarter"), { recursive: true });
    await rm(path.join(full, "express-none-oldstarter", SNAPSHOT_MARKER), { force: true });
    const answersFile = path.join(full, "express-none-oldstarter", ".create-middleware.json");
    const recorded = JSON.parse(await readFile(answersFile, "utf8"));
    recorded.answers = { ...recorded.answers, starter: "oldstarter", packageName: "check-express-none-oldstarter" };
    await writeFile(answersFile, JSON.stringify(recorded));
    const checked = await runSnapshotCheck(options({ directory: full }));
    assert.deepEqual(checked.report.stale, ["express-none-oldstarter", "express-oldschema"]);
    assert.equal(checked.report.ok, false);
    assert.match(checked.report.failures.at(-1)?.message ?? "", /delete it, or run with --update/);
    const updated = await runSnapshotCheck(options({ directory: full, update: true }));
    assert.equal(existsSync(path.join(full, "express-oldschema")), false);
    assert.equal(existsSync(path.join(full, "express-none-oldstarter")), false);
    assert.deepEqual(updated.report.deleted, ["express-none-oldstarter", "express-oldschema"]);
    assert.deepEqual(updated.report.stale, []);
    assert.equal(updated.report.ok, true);
    // A narrowed run does not judge other folders.
    const narrowed = await runSnapshotCheck(options({ directory: full, combinations: two, complete: false }));
    assert.deepEqual(narrowed.report.stale, []);
    assert.equal(narrowed.report.ok, true);
  });

  it("--update refuses, writing nothing, when a folder it would rewrite or delete is not provably a snapshot", async () => {
    const full = path.join(work, "unproven");
    await cp(MATRIX, full, { recursive: true });
    await mkdir(path.join(full, "api", "src"), { recursive: true });
    await writeFile(path.join(full, "api", "package.json"), "{}\n");
    await writeFile(path.join(full, "api", "src", "index.ts"), "work in progress\n");
    await rm(path.join(full, "express-none-blank", SNAPSHOT_MARKER), { force: true });
    await writeFile(path.join(full, "express-none-blank", "README.md"), "changed\n");
    await assert.rejects(runSnapshotCheck(options({ directory: full, update: true })), (error: Error) => {
      assert.ok(error instanceof UsageError);
      assert.match(
        error.message,
        /refuses to touch .*api: it has no \.create-middleware-snapshot marker .* it has no \.create-middleware\.json\. Nothing was written/,
      );
      return true;
    });
    assert.equal(await readFile(path.join(full, "api", "src", "index.ts"), "utf8"), "work in progress\n");
    assert.equal(await readFile(path.join(full, "express-none-blank", "README.md"), "utf8"), "changed\n");
    assert.equal(existsSync(path.join(full, "express-none-blank", SNAPSHOT_MARKER)), false);
    // Read mode names it too, and does not send the user to --update.
    const checked = await runSnapshotCheck(options({ directory: full }));
    assert.match(
      checked.report.failures.find((failure) => failure.combination === "api")?.message ?? "",
      /delete it yourself: --update deletes only folders check wrote/,
    );
  });

  it("--update adopts a combination folder from before the marker (writes the marker) and reports it", async () => {
    const full = path.join(work, "adopt");
    await cp(path.join(MATRIX, "express-none-blank"), path.join(full, "express-none-blank"), { recursive: true });
    await rm(path.join(full, "express-none-blank", SNAPSHOT_MARKER), { force: true });
    const one = two.slice(0, 1);
    const { report } = await runSnapshotCheck(options({ directory: full, combinations: one, complete: false, update: true }));
    assert.deepEqual(report.adopted, ["express-none-blank"]);
    assert.equal(await readFile(path.join(full, "express-none-blank", SNAPSHOT_MARKER), "utf8"), SNAPSHOT_MARKER_TEXT);
    const again = await runSnapshotCheck(options({ directory: full, combinations: one, complete: false }));
    assert.equal(again.report.ok, true, "the marker is no difference");
  });

  it("a template that does not render fails its combination with the template file and line", async () => {
    const broken = path.join(REPO, "test", "fixtures", "render-error-pack");
    const { report, rendered } = await runSnapshotCheck(
      options({
        combinations: two.slice(0, 1),
        directory: snapshots,
        template: await loadTemplatePack(broken, { base: REPO, offline: false }),
        complete: false,
      }),
    );
    const [result] = report.combinations;
    assert.equal(result?.status, "fail");
    assert.equal(result?.render?.file, "team pack/base/README.md.hbs");
    assert.ok((result?.render?.line ?? 0) >= 1);
    assert.deepEqual(
      report.failures.map((failure) => failure.step),
      ["render"],
    );
    assert.ok(
      rendered.get("express+none+blank")?.layers.some((layer) => layer.root === path.join(broken, "base")),
      "the layers are known, to find the file",
    );
  });
});
