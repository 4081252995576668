/** The dependency install (through a fake runner) and the message for a failed one. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeInstallFailure, installDependencies, installEnvironment } from "../../src/system/install.js";
import type { CommandLine } from "../../src/system/package-manager.js";
import type { RunOptions, RunResult } from "../../src/system/run-command.js";

describe("installDependencies", () => {
  const fake =
    (result: Partial<RunResult>, seen: Array<{ line: CommandLine; options: RunOptions }>) =>
    async (line: CommandLine, options: RunOptions): Promise<RunResult> => {
      seen.push({ line, options });
      return { command: "x", ok: true, exitCode: 0, failure: undefined, stdout: "", output: "", durationMs: 1234, ...result };
    };

  it("runs the manager's install in the package directory, devDependencies included", async () => {
    const seen: Array<{ line: CommandLine; options: RunOptions }> = [];
    const report = await installDependencies("/pkg", "pnpm", { run: fake({ command: "pnpm install" }, seen) });
    assert.deepEqual(seen[0]?.line, { command: "pnpm", args: ["install"] });
    assert.equal(seen[0]?.options.cwd, "/pkg");
    assert.equal(seen[0]?.options.env?.NODE_ENV, "development");
    assert.deepEqual(report, { command: "pnpm install", ok: true, durationMs: 1234, exitCode: 0, failure: undefined, outputTail: [] });
  });

  it("keeps the tail of the output when the install fails", async () => {
    const output = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join("\n");
    const report = await installDependencies("/pkg", "npm", {
      run: fake({ command: "npm install", ok: false, exitCode: 1, failure: "failed", output }, []),
    });
    assert.equal(report.ok, false);
    assert.equal(report.outputTail.length, 15);
    assert.equal(report.outputTail.at(-1), "line 30");
  });

  it("overrides NODE_ENV=production, which would skip devDependencies", () => {
    assert.equal(installEnvironment({ NODE_ENV: "production", PATH: "/bin" }).NODE_ENV, "development");
    assert.equal(installEnvironment({ PATH: "/bin" }).PATH, "/bin");
    // In CI pnpm and Yarn 2+ freeze the lockfile by default: the install after a package.json change must not.
    assert.equal(installEnvironment({ CI: "true" }).npm_config_frozen_lockfile, "false");
    assert.equal(installEnvironment({ CI: "true" }).YARN_ENABLE_IMMUTABLE_INSTALLS, "false");
  });
});

describe("describeInstallFailure", () => {
  const base = {
    command: "npm install",
    ok: false,
    durationMs: 900,
    exitCode: 1,
    failure: "failed" as const,
    outputTail: ["npm error code ECONNREFUSED"],
  };

  it("shows the manager's last lines, that the files stay, and the exact retry command", () => {
    const message = describeInstallFailure(base, "npm", "./my-logger");
    assert.match(message, /npm install failed \(exited with code 1\)/);
    assert.match(message, /^ {2}npm error code ECONNREFUSED$/m);
    assert.match(message, /files are in \.\/my-logger; nothing was removed/);
    assert.match(message, /To retry: cd \.\/my-logger && npm install$/);
  });

  it("names a missing package manager and how to get one", () => {
    const message = describeInstallFailure(
      { ...base, command: "pnpm install", failure: "not-found", exitCode: undefined, outputTail: [] },
      "pnpm",
      "./x",
    );
    assert.match(message, /pnpm was not found on PATH/);
    assert.match(message, /pnpm\.io\/installation/);
    assert.match(message, /--pm/);
    assert.match(message, /To retry: cd \.\/x && pnpm install/);
  });
});
