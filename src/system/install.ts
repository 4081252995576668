/**
 * The dependency install, run through run-command.ts with the command line from package-manager.ts.
 */
import type { PackageManager } from "../answers/answers.js";
import { lastLines } from "./clean-output.js";
import { formatCommand, packageManagerCommands } from "./package-manager.js";
import { runCommand, type RunResult, type Runner } from "./run-command.js";

export interface InstallReport {
  /** What ran: "npm install". */
  command: string;
  ok: boolean;
  durationMs: number;
  exitCode: number | undefined;
  failure: RunResult["failure"];
  /** The last lines of the manager's output (only when it failed). */
  outputTail: string[];
}

/** The environment for an install: ours, minus what would skip devDependencies or add noise. */
export function installEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // NODE_ENV=production would make npm/pnpm/yarn skip devDependencies, which the package needs to build and test.
  // The install follows a package.json create or update changed on purpose, so the lockfile must take the
  // change: in CI pnpm and Yarn 2+ default to a frozen lockfile and would refuse (a workspace's lockfile).
  return {
    ...env,
    NODE_ENV: "development",
    ADBLOCK: "1",
    DISABLE_OPENCOLLECTIVE: "1",
    npm_config_frozen_lockfile: "false",
    YARN_ENABLE_IMMUTABLE_INSTALLS: "false",
  };
}

export async function installDependencies(
  directory: string,
  manager: PackageManager,
  options: { signal?: AbortSignal; run?: Runner } = {},
): Promise<InstallReport> {
  const line = packageManagerCommands(manager).install;
  const run = options.run ?? runCommand;
  const result = await run(line, {
    cwd: directory,
    env: installEnvironment(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    command: result.command,
    ok: result.ok,
    durationMs: result.durationMs,
    exitCode: result.exitCode,
    failure: result.failure,
    outputTail: result.ok ? [] : lastLines(result.output),
  };
}

const INSTALL_HELP: Record<PackageManager, string> = {
  npm: "https://docs.npmjs.com/downloading-and-installing-node-js-and-npm",
  pnpm: "https://pnpm.io/installation",
  yarn: "https://yarnpkg.com/getting-started/install",
  bun: "https://bun.sh/docs/installation",
};

/** `cd my-logger && npm install`: what to type to finish the job by hand. */
export function retryCommand(where: string, manager: PackageManager): string {
  const install = formatCommand(packageManagerCommands(manager).install);
  if (where === ".") return install;
  return `${formatCommand({ command: "cd", args: [where] })} && ${install}`;
}

/**
 * The message for a failed install: why, the manager's last words, and the exact command to retry.
 * `kept` says what stays on disk (an update words it its own way).
 */
export function describeInstallFailure(
  report: InstallReport,
  manager: PackageManager,
  where: string,
  kept = `The package's files are in ${where}; nothing was removed.`,
): string {
  const lines: string[] = [];
  if (report.failure === "not-found") {
    lines.push(`${report.command} could not run: ${manager} was not found on PATH.`);
    lines.push(`Install ${manager} (${INSTALL_HELP[manager]}) or choose another package manager with --pm.`);
  } else {
    const how = report.exitCode === undefined ? "was stopped" : `exited with code ${report.exitCode}`;
    lines.push(`${report.command} failed (${how}).`);
    if (report.outputTail.length > 0) {
      lines.push(`Last lines of its output:`);
      lines.push(...report.outputTail.map((text) => `  ${text}`));
    }
  }
  lines.push(kept);
  lines.push(`To retry: ${retryCommand(where, manager)}`);
  return lines.join("\n");
}
