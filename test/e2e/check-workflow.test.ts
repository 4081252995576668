/**
 * The workflow `template init` writes into a new pack (.github/workflows/check.yml): valid YAML with the
 * jobs the docs promise, and its `run:` commands executed as written in a local dry run of the jobs (the
 * `uses:` steps are GitHub's own; `npx` is a stand-in that records the package spec and runs the CLI under
 * test). The check job's run installs a shard of generated packages: run this file through heavy.
 */
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { packWorkflow } from "../../src/check/workflow.js";
import { BIN, runCli, tempDir } from "../helpers/cli.js";

interface Step {
  uses?: string;
  run?: string;
  id?: string;
  name?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  "runs-on": string;
  needs?: string;
  strategy?: { "fail-fast"?: boolean; matrix: Record<string, unknown[]> };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

let work: { path: string; remove: () => Promise<void> };
let pack: string;
let shim: string;
let initOutput: string;
before(async () => {
  work = await tempDir("cm-check-workflow-");
  pack = path.join(work.path, "acme-pack");
  const init = await runCli(["template", "init", pack], { cwd: work.path });
  assert.equal(init.code, 0, init.stderr);
  initOutput = init.stdout;
  // npx stand-in: `npx --yes <spec> args...` -> the CLI under test, the spec written down for the test.
  shim = path.join(work.path, "bin");
  await mkdir(shim);
  await writeFile(
    path.join(shim, "npx"),
    `#!/usr/bin/env bash\n[ "$1" = "--yes" ] || { echo "npx stand-in: expected --yes first" >&2; exit 97; }\necho "$2" >> "$NPX_LOG"\ncase "$2" in create-middleware-package@*) ;; *) echo "npx stand-in: unexpected package $2" >&2; exit 98;; esac\nshift 2\nexec "${process.execPath}" "${BIN}" "$@"\n`,
  );
  await chmod(path.join(shim, "npx"), 0o755);
});
after(() => work.remove());

const readWorkflow = async () => parse(await readFile(path.join(pack, ".github", "workflows", "check.yml"), "utf8")) as Workflow;

/**
 * Runs one job's `run:` steps as the runner would (bash -eo pipefail, in the checkout, GITHUB_OUTPUT per
 * step), with `${{ matrix.* }}` and `${{ steps.*.outputs.* }}` filled in. Returns each step's result.
 */
async function runJob(job: Job, matrix: Record<string, unknown>, log: string, secrets: Record<string, string> = {}) {
  const outputs: Record<string, Record<string, string>> = {};
  const results: Array<{ script: string; status: number | null; stdout: string; stderr: string }> = [];
  for (const [index, step] of job.steps.entries()) {
    if (step.run === undefined) continue;
    const fill = (text: string) =>
      text
        .replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => String(matrix[key]))
        .replace(/\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g, (_, id: string, key: string) => outputs[id]?.[key] ?? "")
        // An unset secret is the empty string, as on GitHub.
        .replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, key: string) => secrets[key] ?? "");
    // Expressions belong in `env:` only: pasted into the script they would make a crafted value shell code.
    assert.doesNotMatch(step.run, /\$\{\{/, `an expression inside a run: script: ${step.run}`);
    const script = step.run;
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, fill(String(value))]));
    const outputFile = path.join(work.path, `output-${index}`);
    await writeFile(outputFile, "");
    const run = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd: pack,
      encoding: "utf8",
      env: {
        ...process.env,
        ...stepEnv,
        PATH: `${shim}${path.delimiter}${process.env.PATH}`,
        NPX_LOG: log,
        GITHUB_OUTPUT: outputFile,
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: pack,
        GITHUB_STEP_SUMMARY: path.join(work.path, "summary.md"),
        CREATE_MIDDLEWARE_CACHE: path.join(work.path, "cache"),
      },
      timeoutMs: 600_000,
    } as Parameters<typeof spawnSync>[2] & { encoding: "utf8" });
    results.push({ script, status: run.status, stdout: run.stdout, stderr: run.stderr });
    if (run.status !== 0) break;
    if (step.id) {
      const written = await readFile(outputFile, "utf8");
      outputs[step.id] = Object.fromEntries(
        written
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    }
  }
  return results;
}

/** What pack.json asks for, as the workflow reads it. */
async function expectedSpec(): Promise<string> {
  const manifest = await readFile(path.join(pack, "pack.json"), "utf8").then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    () => undefined,
  );
  const engines = manifest?.engines as Record<string, string> | undefined;
  return `create-middleware-package@${engines?.["create-middleware"] || "latest"}`;
}

describe("the pack workflow written by template init", () => {
  it("is the workflow the library produces, and valid YAML with a snapshot job and a sharded check job", async () => {
    assert.equal(await readFile(path.join(pack, ".github", "workflows", "check.yml"), "utf8"), packWorkflow());
    const workflow = await readWorkflow();
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
    assert.match(initOutput, /create-middleware check --template \. --snapshot snapshots --update/);
  });

  it("snapshot job: runs as written, on the version pack.json asks for; fails when a template changes", async () => {
    // The one-time step template init prints: create the snapshots in the pack.
    const created = await runCli(["check", "--template", ".", "--snapshot", "snapshots", "--update"], {
      cwd: pack,
      env: { GITHUB_ACTIONS: undefined },
    });
    assert.equal(created.code, 0, created.stderr);
    const workflow = await readWorkflow();
    const log = path.join(work.path, "npx-snapshot.log");
    const results = await runJob(workflow.jobs.snapshot as Job, {}, log);
    assert.ok(results.length >= 2);
    for (const result of results) assert.equal(result.status, 0, `${result.script}\n${result.stdout}\n${result.stderr}`);
    assert.deepEqual((await readFile(log, "utf8")).trim().split("\n"), [await expectedSpec()]);

    const readme = path.join(pack, "base", "README.md.hbs");
    const original = await readFile(readme, "utf8");
    await writeFile(readme, `${original}\nA line the snapshots do not have.\n`);
    try {
      const failed = await runJob(workflow.jobs.snapshot as Job, {}, log);
      const last = failed.at(-1);
      assert.equal(last?.status, 1, last?.stderr);
      assert.match(last?.stdout ?? "", /^::error file=base\/README\.md\.hbs,line=\d+,title=check /m);
    } finally {
      await writeFile(readme, original);
    }
  });

  it("check job: the first matrix entry's commands run as written and pass", async () => {
    const workflow = await readWorkflow();
    const job = workflow.jobs.check as Job;
    const matrix = Object.fromEntries(Object.entries(job.strategy?.matrix ?? {}).map(([key, values]) => [key, values[0]]));
    const log = path.join(work.path, "npx-check.log");
    const results = await runJob(job, matrix, log);
    for (const result of results) assert.equal(result.status, 0, `${result.script}\n${result.stdout}\n${result.stderr.slice(-4000)}`);
    assert.match(results.at(-1)?.stderr ?? "", /check passed \(shard 1\/2\): 6 combinations/);
    assert.deepEqual((await readFile(log, "utf8")).trim().split("\n"), [await expectedSpec()]);
  });

  it("dependents job (on a release): runs gh workflow run in each repository pack.json lists; nothing without the secret; refuses a crafted entry", async () => {
    const job = (await readWorkflow()).jobs.dependents as Job;
    const calls = path.join(work.path, "gh-calls.log");
    // gh stand-in: records its arguments and token; "acme/gone" is a repository without the workflow.
    await writeFile(
      path.join(shim, "gh"),
      `#!/usr/bin/env bash\necho "$GH_TOKEN $*" >> "${calls}"\ncase "$*" in *acme/gone*) echo "HTTP 404: workflow not found" >&2; exit 1;; esac\n`,
    );
    await chmod(path.join(shim, "gh"), 0o755);
    const manifestFile = path.join(pack, "pack.json");
    const original = await readFile(manifestFile, "utf8");
    const withDependents = async (dependents: unknown) =>
      writeFile(manifestFile, `${JSON.stringify({ ...(JSON.parse(original) as object), dependents }, null, 2)}\n`);
    const run = async (secrets: Record<string, string>) => {
      await writeFile(calls, "");
      const results = await runJob(job, {}, path.join(work.path, "npx-dependents.log"), secrets);
      return { last: results.at(-1)!, calls: (await readFile(calls, "utf8")).trim() };
    };
    try {
      await withDependents(["acme/payments-logger", "acme/rate-guard"]);
      // The manifest still loads: check validates it like any pack.json field.
      const checked = await runCli(["check", "--template", ".", "--snapshot", "snapshots", "--update"], {
        cwd: pack,
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
    } finally {
      await writeFile(manifestFile, original);
    }
  });
});
