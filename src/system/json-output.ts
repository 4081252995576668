/**
 * With --json, stdout holds exactly one JSON document: the command's report, or, when the run fails before
 * or without one, an error object (cli.ts), so a script never has to parse an empty stdout. Reports go
 * through here so the error object is not added after a report that already says what failed.
 */
import { standardOutput } from "./standard-streams.js";

let reportWritten = false;

/** Writes the command's report (an object, or JSON text already made) to stdout as the run's document. */
export function writeJsonReport(report: unknown): void {
  const text = typeof report === "string" ? report : `${JSON.stringify(report, null, 2)}\n`;
  standardOutput().write(text);
  reportWritten = true;
}

/** What a failure's JSON says: `code` is "usage" (exit 2), "failed" (1), "interrupted" (130) or "unexpected" (1). */
export interface JsonFailure {
  ok: false;
  error: { code: "usage" | "failed" | "interrupted" | "unexpected"; message: string; exitCode: number };
}

/** --json anywhere among the arguments before `--`: the run promised one JSON document on stdout. */
function jsonRequested(args: readonly string[] = process.argv.slice(2)): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes("--json");
}

/** The failure as the run's JSON document, when --json asked for one and no report was written. */
export function writeJsonFailure(failure: JsonFailure["error"]): void {
  if (reportWritten || !jsonRequested()) return;
  const document: JsonFailure = { ok: false, error: failure };
  standardOutput().write(`${JSON.stringify(document, null, 2)}\n`);
  reportWritten = true;
}
