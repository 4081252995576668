/**
 * The workflow `template init` writes into a new pack (.github/workflows/check.yml): valid YAML with the
 * jobs the docs promise, and the snapshot job's `run:` commands executed as written in a local dry run
 * (test/helpers/pack-workflow.ts). The check job installs a shard of generated packages from the registry:
 * test/integration/check-workflow.test.ts runs it.
 */
import assert from "node:assert/strict";
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { packWorkflow } from "../../src/check/workflow.js";
import { runCli } from "../helpers/cli.js";
import { type Job, type PackWorkflow, packWorkflowFixture } from "../helpers/pack-workflow.js";

let fixture: PackWorkflow;
before(async () => {
  fixture = await packWorkflowFixture("cm-check-workflow-");
});
after(() => fixture.remove());

describe("the pack workflow written by template init", () => {
  it("is the workflow the library produces, and valid YAML with a snapshot job and a sharded check job", async () => {
    assert.equal(await readFile(path.join(fixture.pack, ".github", "workflows", "check.yml"), "utf8"), packWorkflow());
    const workflow = await fixture.readWorkflow();
    assert.ok("push" in workflow.on && "pull_request" in workflow.on);
    assert.deepEqual(Object.keys(workflow.jobs), ["snapshot", "check", "dependents"]);
    assert.equal(workflow.jobs.check?.needs, "snapshot");
    assert.equal(workflow.jobs.dependents?.needs, "check");
    assert.ok("release" in workflow.on);
    assert.deepEqual(workflow.jobs.check?.strategy?.matrix, { node: [22, 24, 26], shard: [1, 2] });
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) if (step.uses?.startsWith("actions/")) assert.match(step.uses, /^actions\/(checkout|setup-node)@v7$/);
    }
    const setupNode = workflow.jobs.check?.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
    assert.equal(setupNode?.with?.["node-version"], "${{ matrix.node }}");
    const commands = Object.values(workflow.jobs)
      .flatMap((job) => job.steps.map((step) => step.run ?? ""))
      .join("\n");
    assert.match(commands, /check --template \. --snapshot snapshots$/m);
    assert.match(commands, /check --template \. --shard "\$SHARD\/2"$/m);
    assert.match(fixture.initOutput, /create-middleware check --template \. --snapshot snapshots --update/);
  });

  it("snapshot job: runs as written, on the version pack.json asks for; fails when a template changes", async () => {
    // The one-time step template init prints: create the snapshots in the pack.
    const created = await runCli(["check", "--template", ".", "--snapshot", "snapshots", "--update"], {
      cwd: fixture.pack,
      env: { GITHUB_ACTIONS: undefined },
    });
    assert.equal(created.code, 0, created.stderr);
    const workflow = await fixture.readWorkflow();
    const log = path.join(fixture.work, "npx-snapshot.log");
    const results = await fixture.runJob(workflow.jobs.snapshot as Job, {}, log);
    assert.ok(results.length >= 2);
    for (const result of results) assert.equal(result.status, 0, `${result.script}\n${result.stdout}\n${result.stderr}`);
    assert.deepEqual((await readFile(log, "utf8")).trim().split("\n"), [await fixture.expectedSpec()]);

    const readme = path.join(fixture.pack, "base", "README.md.hbs");
    const original = await readFile(readme, "utf8");
    await writeFile(readme, `${original}\nA line the snapshots do not have.\n`);
    try {
      const failed = await fixture.runJob(workflow.jobs.snapshot as Job, {}, log);
      const last = failed.at(-1);
      assert.equal(last?.status, 1, last?.stderr);
      assert.match(last?.stdout ?? "", /^::error file=base\/README\.md\.hbs,line=\d+,title=check /m);
    } finally {
      await writeFile(readme, original);
    }
  });

  it("dependents job (on a release): runs gh workflow run in each repository pack.json lists; nothing without the secret; refuses a crafted entry", async () => {
    const job = (await fixture.readWorkflow()).jobs.dependents as Job;
    const calls = path.join(fixture.work, "gh-calls.log");
    // gh stand-in: records its arguments and token; "acme/gone" is a repository without the workflow.
    await writeFile(
      path.join(fixture.shim, "gh"),
      `#!/usr/bin/env bash\necho "$GH_TOKEN $*" >> "${calls}"\ncase "$*" in *acme/gone*) echo "HTTP 404: workflow not found" >&2; exit 1;; esac\n`,
    );
    await chmod(path.join(fixture.shim, "gh"), 0o755);
    const manifestFile = path.join(fixture.pack, "pack.json");
    const original = await readFile(manifestFile, "utf8");
    const withDependents = async (dependents: unknown) =>
      writeFile(manifestFile, `${JSON.stringify({ ...(JSON.parse(original) as object), dependents }, null, 2)}\n`);
    const run = async (secrets: Record<string, string>) => {
      await writeFile(calls, "");
      const results = await fixture.runJob(job, {}, path.join(fixture.work, "npx-dependents.log"), secrets);
      return { last: results.at(-1)!, calls: (await readFile(calls, "utf8")).trim() };
    };
    try {
      await withDependents(["acme/payments-logger", "acme/rate-guard"]);
      // The manifest still loads: check validates it like any pack.json field.
      const checked = await runCli(["check", "--template", ".", "--snapshot", "snapshots", "--update"], {
        cwd: fixture.pack,
        env: { GITHUB_ACTIONS: undefined },
      });
      assert.equal(checked.code, 0, checked.stderr);

      const quiet = await run({});
      assert.equal(quiet.last.status, 0, quiet.last.stderr);
      assert.match(quiet.last.stdout, /::notice::No TEMPLATE_UPDATE_DISPATCH_TOKEN secret/);
      assert.equal(quiet.calls, "", "no gh call without the secret");

      const ran = await run({ TEMPLATE_UPDATE_DISPATCH_TOKEN: "pat-test" });
      assert.equal(ran.last.status, 0, ran.last.stderr);
      assert.deepEqual(ran.calls.split("\n"), [
        "pat-test workflow run template-update.yml --repo acme/payments-logger",
        "pat-test workflow run template-update.yml --repo acme/rate-guard",
      ]);

      await withDependents(["acme/gone", "acme/rate-guard"]);
      const partly = await run({ TEMPLATE_UPDATE_DISPATCH_TOKEN: "pat-test" });
      assert.equal(partly.last.status, 1, "a repository that could not be run fails the job");
      assert.match(partly.last.stdout, /::error::Could not run template-update\.yml in acme\/gone/);
      assert.match(partly.calls, /--repo acme\/rate-guard$/, "after trying every other one");

      await withDependents(["acme/ok", "acme/x; touch pwned"]);
      const crafted = await run({ TEMPLATE_UPDATE_DISPATCH_TOKEN: "pat-test" });
      assert.notEqual(crafted.last.status, 0);
      assert.match(crafted.last.stderr, /dependents must list GitHub repositories/);
      assert.equal(crafted.calls, "", "not even the valid one: the list is refused whole");

      // What the manifest refuses (a name of dots: gh's API path would read acme/.. as a way up) the job refuses too.
      for (const dots of ["acme/..", "acme/."]) {
        await withDependents(["acme/ok", dots]);
        const dotted = await run({ TEMPLATE_UPDATE_DISPATCH_TOKEN: "pat-test" });
        assert.notEqual(dotted.last.status, 0, dots);
        assert.match(dotted.last.stderr, /dependents must list GitHub repositories/);
        assert.equal(dotted.calls, "", `${dots}: no gh call`);
      }
    } finally {
      await writeFile(manifestFile, original);
    }
  });
});
