/**
 * The workflow `template init` writes into a new pack (.github/workflows/check.yml), run locally: a pack
 * made by the built CLI, and its jobs' `run:` commands executed as written (the `uses:` steps are GitHub's
 * own; `npx` is a stand-in that records the package spec and runs the CLI under test). Shared by the e2e
 * test (the snapshot job, no install) and the integration test (the check job, which installs).
 */
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parse } from "yaml";
import { BIN, runCli, tempDir } from "./cli.js";

export interface Step {
  uses?: string;
  run?: string;
  id?: string;
  name?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface Job {
  "runs-on": string;
  needs?: string;
  strategy?: { "fail-fast"?: boolean; matrix: Record<string, unknown[]> };
  steps: Step[];
}
export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

export interface PackWorkflow {
  /** The temporary folder holding the pack, the npx stand-in and the logs. */
  work: string;
  /** The folder on PATH ahead of the system's: the npx stand-in, and any other a test writes. */
  shim: string;
  /** The pack `template init` wrote. */
  pack: string;
  /** What `template init` printed. */
  initOutput: string;
  readWorkflow(): Promise<Workflow>;
  /** Runs one job's `run:` steps; stops at the first that fails. */
  runJob(
    job: Job,
    matrix: Record<string, unknown>,
    log: string,
    secrets?: Record<string, string>,
  ): Promise<Array<{ script: string; status: number | null; stdout: string; stderr: string }>>;
  /** What pack.json asks for, as the workflow reads it. */
  expectedSpec(): Promise<string>;
  remove(): Promise<void>;
}

export async function packWorkflowFixture(prefix: string): Promise<PackWorkflow> {
  const work = await tempDir(prefix);
  const pack = path.join(work.path, "acme-pack");
  const init = await runCli(["template", "init", pack], { cwd: work.path });
  assert.equal(init.code, 0, init.stderr);
  // npx stand-in: `npx --yes <spec> args...` -> the CLI under test, the spec written down for the test.
  const shim = path.join(work.path, "bin");
  await mkdir(shim);
  await writeFile(
    path.join(shim, "npx"),
    `#!/usr/bin/env bash\n[ "$1" = "--yes" ] || { echo "npx stand-in: expected --yes first" >&2; exit 97; }\necho "$2" >> "$NPX_LOG"\ncase "$2" in create-middleware-package@*) ;; *) echo "npx stand-in: unexpected package $2" >&2; exit 98;; esac\nshift 2\nexec "${process.execPath}" "${BIN}" "$@"\n`,
  );
  await chmod(path.join(shim, "npx"), 0o755);

  /**
   * Runs one job's `run:` steps as the runner would (bash -eo pipefail, in the checkout, GITHUB_OUTPUT per
   * step), with `${{ matrix.* }}`, `${{ steps.*.outputs.* }}` and `${{ secrets.* }}` filled in. Returns each step's result.
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
        // Spawned synchronously: a hung step would hang the test runner without this.
        timeout: 600_000,
      });
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

  async function expectedSpec(): Promise<string> {
    const manifest = await readFile(path.join(pack, "pack.json"), "utf8").then(
      (text) => JSON.parse(text) as Record<string, unknown>,
      () => undefined,
    );
    const engines = manifest?.engines as Record<string, string> | undefined;
    return `create-middleware-package@${engines?.["create-middleware"] || "latest"}`;
  }

  return {
    work: work.path,
    shim,
    pack,
    initOutput: init.stdout,
    readWorkflow: async () => parse(await readFile(path.join(pack, ".github", "workflows", "check.yml"), "utf8")) as Workflow,
    runJob,
    expectedSpec,
    remove: work.remove,
  };
}
