/**
 * The npm command lines a check runs, as pure data; they are spawned through run-command.ts. The packages'
 * own scripts are run by scripts.ts, publint through its API (packaging.ts).
 */
import type { CommandLine } from "../system/package-manager.js";

/** One install at the workspace root for every package; a warm cache makes it mostly offline. */
export function installCommand(): CommandLine {
  return { command: "npm", args: ["install", "--no-audit", "--no-fund", "--prefer-offline"] };
}

/** What `npm publish` would put in the tarball, as JSON. The build already ran: no lifecycle scripts. */
export function packCommand(): CommandLine {
  return { command: "npm", args: ["pack", "--dry-run", "--json", "--ignore-scripts"] };
}
