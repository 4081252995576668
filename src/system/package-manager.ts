/**
 * Package-manager command lines, as pure data. The only place that knows how npm, pnpm, yarn and bun
 * spell install, run and exec; the next-steps message, the generated README and the installer all ask here.
 */
import type { PackageManager } from "../answers/answers.js";
import { PACKAGE_MANAGERS } from "../answers/answers.js";

export interface CommandLine {
  command: string;
  args: string[];
}

export function formatCommand(line: CommandLine): string {
  return [line.command, ...line.args.map(quoteArgument)].join(" ");
}

function quoteArgument(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

export interface PackageManagerCommands {
  install: CommandLine;
  /** Installs exactly what the lockfile says, failing when it is out of date: for CI. */
  ci: CommandLine;
  /** Adds a dependency; append the package name. */
  add: CommandLine;
  /** Runs a package.json script. */
  run: (script: string) => CommandLine;
  /** Runs a binary from node_modules/.bin. */
  exec: (binary: string, ...args: string[]) => CommandLine;
  /** The lockfile the install writes, which `ci` needs committed. */
  lockfile: string;
}

export function packageManagerCommands(manager: PackageManager): PackageManagerCommands {
  switch (manager) {
    case "npm":
      return {
        install: { command: "npm", args: ["install"] },
        ci: { command: "npm", args: ["ci"] },
        add: { command: "npm", args: ["install"] },
        // npm has shorthands for test and start only.
        run: (script) => ({ command: "npm", args: script === "test" || script === "start" ? [script] : ["run", script] }),
        exec: (binary, ...args) => ({ command: "npx", args: [binary, ...args] }),
        lockfile: "package-lock.json",
      };
    case "pnpm":
      return {
        install: { command: "pnpm", args: ["install"] },
        ci: { command: "pnpm", args: ["install", "--frozen-lockfile"] },
        add: { command: "pnpm", args: ["add"] },
        run: (script) => ({ command: "pnpm", args: script === "test" ? ["test"] : ["run", script] }),
        exec: (binary, ...args) => ({ command: "pnpm", args: ["exec", binary, ...args] }),
        lockfile: "pnpm-lock.yaml",
      };
    case "yarn":
      return {
        install: { command: "yarn", args: ["install"] },
        // Yarn 1's flag; Yarn 2 and later read it as --immutable.
        ci: { command: "yarn", args: ["install", "--frozen-lockfile"] },
        add: { command: "yarn", args: ["add"] },
        run: (script) => ({ command: "yarn", args: script === "test" ? ["test"] : ["run", script] }),
        exec: (binary, ...args) => ({ command: "yarn", args: ["exec", binary, ...args] }),
        lockfile: "yarn.lock",
      };
    case "bun":
      return {
        install: { command: "bun", args: ["install"] },
        ci: { command: "bun", args: ["install", "--frozen-lockfile"] },
        add: { command: "bun", args: ["add"] },
        // `bun test` is Bun's own test runner, not the package's script: always `bun run`.
        run: (script) => ({ command: "bun", args: ["run", script] }),
        exec: (binary, ...args) => ({ command: "bunx", args: [binary, ...args] }),
        lockfile: "bun.lock",
      };
  }
}

/**
 * The manager that launched us, from npm_config_user_agent ("pnpm/9.1.0 npm/? node/v20.19.0 linux x64").
 * Undefined when there is none or it is one we do not know.
 */
export function detectPackageManager(userAgent: string | undefined): PackageManager | undefined {
  const name = userAgent?.split(" ")[0]?.split("/")[0];
  return PACKAGE_MANAGERS.find((manager) => manager === name);
}

/**
 * A workspace member's script, run from the repository's root: `npm test -w packages/rl`,
 * `pnpm --filter @acme/rl test`, `yarn workspace @acme/rl run test`, `bun run --filter @acme/rl test`.
 */
export function workspaceRun(manager: PackageManager, member: { folder: string; name: string }, script: string): CommandLine {
  switch (manager) {
    case "npm":
      return { command: "npm", args: [...(script === "test" ? ["test"] : ["run", script]), "-w", member.folder] };
    case "pnpm":
      return { command: "pnpm", args: ["--filter", member.name, ...(script === "test" ? ["test"] : ["run", script])] };
    case "yarn":
      return { command: "yarn", args: ["workspace", member.name, "run", script] };
    case "bun":
      return { command: "bun", args: ["run", "--filter", member.name, script] };
  }
}
