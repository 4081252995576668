/**
 * What a child program printed, cleaned for a person to read: the one place that strips terminal control
 * codes (Node's own `stripVTControlCharacters`) and drops the lines that say nothing. The install and git
 * steps show the last few lines of a failure; the check keeps a log tail and picks the first error line.
 * Pure.
 */
import { stripVTControlCharacters } from "node:util";

/** The output's lines, without colour or cursor codes and trailing spaces; any line ending. */
export function plainLines(output: string): string[] {
  return stripVTControlCharacters(output)
    .split(/\r\n?|\n/)
    .map((line) => line.trimEnd());
}

/** A manager's log prefix ("npm error", "npm ERR!", "ERR_PNPM_..." stays), for spotting empty lines. */
const LOG_PREFIX = /^(npm (error|ERR!|warn|WARN)|yarn (error|warn))\s*/;
/** "    at fn (file.js:1:2)": stack frames say little to the user and crowd out the real message. */
const STACK_FRAME = /^\s*at \S.*(:\d+:\d+\)?|\(native\)|\(<anonymous>\))( \{)?$/;

/** The last `count` meaningful lines of a program's output: no blank or prefix-only lines, no stack frames. */
export function lastLines(output: string, count = 15): string[] {
  return plainLines(output)
    .filter((text) => {
      const message = text.replace(LOG_PREFIX, "");
      return message.trim() !== "" && !STACK_FRAME.test(message);
    })
    .slice(-count);
}

/** npm's own chatter around a script: its banner, config warnings and the "Lifecycle script failed" trailer. */
const NPM_NOISE = /^(npm (warn|notice) |npm error (Lifecycle script|code \d+$|path |workspace |location |command failed|command sh -c)|> )/;

/**
 * A stack frame inside npm or Node itself ("    at Arborist.reify (/usr/lib/node_modules/npm/lib/...:1:2)"):
 * says nothing about the package. Frames in the package's own code (a failing test) are kept.
 */
const TOOL_STACK_FRAME =
  /^(npm (error|ERR!|verbose)\s+)?\s*at (.*[\\/]node_modules[\\/](npm|@npmcli)[\\/]|.*\bnode:internal[\\/]|.*[\\/]lib[\\/]node_modules[\\/]|.*\((native|<anonymous>)\)$|async Promise\.all)/;

/** The lines of a log that the tool itself printed, without control codes, npm's chatter or its stack frames. */
export function logLines(output: string): string[] {
  return plainLines(output)
    .filter((line) => !NPM_NOISE.test(line) && !TOOL_STACK_FRAME.test(line))
    .join("\n")
    .trim()
    .split("\n");
}

/** The last `lines` lines of a log, cleaned by logLines. */
export function logTail(output: string, lines = 40): string {
  const all = logLines(output);
  const tail = all.slice(-lines).join("\n");
  return all.length > lines ? `… (${all.length - lines} earlier lines)\n${tail}` : tail;
}

/** The first line that reads like an error (tsc's "error TS", a failed test, a thrown Error), if any. */
export function firstError(output: string): string | undefined {
  const lines = logLines(output);
  const patterns = [/error TS\d+/, /^not ok \d+/, /^\s*\u2716 /, /\b(Error|error)\b[:\s]/];
  for (const pattern of patterns) {
    const found = lines.find((line) => pattern.test(line));
    if (found) return found.trim().slice(0, 300);
  }
  return undefined;
}
