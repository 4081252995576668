/**
 * The command lines a check runs, as pure data. They are spawned in one place (spawn.ts).
 */
import path from "node:path";
import { packageManagerCommands, type CommandLine } from "../package-manager.js";

const npm = packageManagerCommands("npm");

/** One install at the workspace root for every package; a warm cache makes it mostly offline. */
export function installCommand(): CommandLine {
  return { command: "npm", args: ["install", "--no-audit", "--no-fund", "--prefer-offline"] };
}

/** `npm run typecheck`, `npm run build`, `npm test`: the generated package's own scripts. */
export function scriptCommand(script: string): CommandLine {
  return npm.run(script);
}

/** What `npm publish` would put in the tarball, as JSON. The build already ran: no lifecycle scripts. */
export function packCommand(): CommandLine {
  return { command: "npm", args: ["pack", "--dry-run", "--json", "--ignore-scripts"] };
}

/** publint from the workspace root's node_modules; --strict turns its warnings into a failure. */
export function publintCommand(workspaceRoot: string): CommandLine {
  return { command: path.join(workspaceRoot, "node_modules", ".bin", "publint"), args: ["--strict", "--pack", "npm"] };
}
