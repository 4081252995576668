/**
 * `create-middleware check`: flags -> the matrix check (or, with --snapshot, the in-memory snapshot
 * comparison) -> the reporters: a table on stderr always; JSON (--json, --reporter json) on stdout or into
 * --output; GitHub annotations and step summary (--reporter github, or automatically under GitHub Actions);
 * JUnit XML into --output (--reporter junit). Exit 0 only when everything passed.
 */
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FailedError, UsageError } from "../errors.js";
import { assertFieldNames, parseOptionSpec, type OptionField } from "../answers/option-fields.js";
import { writeJsonReport } from "../system/json-output.js";
import { countOf, createReporter, type Reporter } from "../system/output.js";
import { hookNames } from "../tables/starters.js";
import { answerPackQuestions, loadTemplatePack, packStartersOf } from "../answers/resolver.js";
import { cacheRoot } from "../packs/cache.js";
import type { LoadedPack } from "../packs/load-pack.js";
import { parseVarFlags } from "../packs/questions.js";
import { checkAnnotations, checkSummary, formatAnnotation, snapshotAnnotations, snapshotSummary, type Annotation } from "../check/github.js";
import { checkJunit, junitTimestamp, snapshotJunit } from "../check/junit.js";
import { selectCombinations, splitList, type Combination } from "../check/matrix.js";
import { createCheckProgress } from "../check/progress.js";
import { STEP_NAMES, type CheckReport } from "../check/report.js";
import { runMatrixCheck } from "../check/run-check.js";
import { formatShard, parseShard, selectShard, type Shard } from "../check/shard.js";
import { runSnapshotCheck, type SnapshotReport } from "../check/snapshot.js";
import { SNAPSHOT_MARKER } from "../check/snapshot-folder.js";
import { formatFailures, formatTable } from "../check/table.js";
import { standardError, standardOutput } from "../system/standard-streams.js";
import { readFlags, type Flags } from "./flags.js";

/**
 * The flags of check, as cli.ts declares them: `all` is the full target x schema x starter product instead
 * of the covering matrix; `cache` is false with --no-cache (install afresh instead of reusing node_modules).
 */
export const CHECK_FLAGS = {
  target: "strings",
  schema: "strings",
  starter: "strings",
  all: "boolean",
  option: "strings",
  template: "string",
  var: "strings",
  offline: "boolean",
  cache: "boolean",
  json: "boolean",
  keep: "boolean",
  snapshot: "string",
  update: "boolean",
  shard: "string",
  reporter: "strings",
  output: "string",
} as const;
type CheckFlags = Flags<typeof CHECK_FLAGS>;

const REPORTERS = ["table", "json", "github", "junit"] as const;
type ReporterName = (typeof REPORTERS)[number];

interface Reporters {
  json: boolean;
  github: boolean;
  junit: boolean;
  /** The file the JSON or JUnit report goes to. */
  output: string | undefined;
}

/** --reporter (repeatable, comma-separated), --json and GITHUB_ACTIONS -> what to print where. Usage errors first. */
function chooseReporters(flags: Pick<CheckFlags, "json" | "reporter" | "output">, env: NodeJS.ProcessEnv, cwd: string): Reporters {
  const names = splitList(flags.reporter).map((name) => {
    const known = REPORTERS.find((reporter) => reporter === name.toLowerCase());
    if (!known) throw new UsageError(`Unknown reporter "${name}". Valid reporters: ${REPORTERS.join(", ")}.`);
    return known;
  });
  const chosen = new Set<ReporterName>(names);
  if (flags.json) chosen.add("json");
  if (env.GITHUB_ACTIONS === "true") chosen.add("github");
  const output = flags.output === undefined ? undefined : path.resolve(cwd, flags.output);
  if (chosen.has("junit") && output === undefined) throw new UsageError("--reporter junit writes a file: add --output <file.xml>.");
  if (chosen.has("junit") && chosen.has("json")) {
    throw new UsageError("--output takes one report: choose --reporter junit or json (JSON can go to stdout without --output).");
  }
  if (output !== undefined && !chosen.has("junit") && !chosen.has("json")) {
    throw new UsageError("--output is for the json or junit reporter: add --reporter junit (or --json).");
  }
  return { json: chosen.has("json"), github: chosen.has("github"), junit: chosen.has("junit"), output };
}

function failureSummary(report: CheckReport): string {
  const named = report.failures.map((failure) => `${failure.combination} ${failure.step}`);
  const failedCombinations = report.combinations.filter((result) => result.status === "fail").length;
  return `check failed (${failedCombinations} of ${countOf(report.combinations.length, "combination")}): ${named.join(", ")}`;
}

interface Selection {
  combinations: Combination[];
  shard: Shard | undefined;
  /** Nothing narrowed the matrix (no --target, --schema, --starter or --shard). */
  complete: boolean;
  fields: OptionField[] | undefined;
  optionSpecs: string[];
  /** The team pack, loaded (fetched, read, hashed) once for the whole matrix. */
  pack: LoadedPack | undefined;
  /** How reports name the pack: its folder or tarball. */
  packLabel: string | undefined;
  vars: Record<string, unknown>;
}

async function select(flags: CheckFlags, cwd: string): Promise<Selection> {
  const pack = flags.template === undefined ? undefined : await loadTemplatePack(flags.template, { base: cwd, offline: flags.offline ?? false });
  // Without --target / --schema, the matrix is what the pack's manifest declares (else everything).
  const targets = flags.target === undefined ? (pack?.manifest?.targets ?? []) : splitList(flags.target);
  const schemas = flags.schema === undefined ? (pack?.manifest?.schemas ?? []) : splitList(flags.schema);
  const selected = selectCombinations(targets, schemas, {
    starters: splitList(flags.starter),
    all: flags.all ?? false,
    ...(pack ? { packStarters: packStartersOf(pack) } : {}),
  });
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const optionSpecs = flags.option ?? [];
  let fields: OptionField[] | undefined;
  if (optionSpecs.length > 0) {
    fields = optionSpecs.map(parseOptionSpec);
    for (const entry of selected) assertFieldNames(fields, hookNames(entry.target, entry.starter));
  }
  // The pack's questions answered from --var, then their defaults, then their examples (a check never prompts).
  const { vars } = await answerPackQuestions(pack, {
    flags: parseVarFlags(flags.var ?? []),
    examples: true,
    unasked: 'check asks no questions (an "example" answer in the question, in pack.json, is what check renders with)',
  });
  const packLabel = pack === undefined ? undefined : pack.source.kind === "tarball" ? pack.source.path : pack.tree.root;
  const complete = flags.target === undefined && flags.schema === undefined && flags.starter === undefined && shard === undefined;
  return { combinations: selectShard(selected, shard), shard, complete, fields, optionSpecs, pack, packLabel, vars };
}

/** Where annotations go: stdout, unless stdout carries the JSON report. GitHub reads both. */
function emitGithub(annotations: readonly Annotation[], summary: string, reporters: Reporters, reporter: Reporter, env: NodeJS.ProcessEnv): void {
  const stream = reporters.json && reporters.output === undefined ? standardError() : standardOutput();
  for (const annotation of annotations) stream.write(`${formatAnnotation(annotation)}\n`);
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      appendFileSync(env.GITHUB_STEP_SUMMARY, `${summary}\n`);
    } catch (error) {
      reporter.warn(`could not append to GITHUB_STEP_SUMMARY: ${(error as Error).message}`);
    }
  }
}

function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new FailedError(`Could not write the report to ${file}: ${(error as Error).message}`);
  }
}

export async function runCheck(options: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const flags: CheckFlags = readFlags(options, CHECK_FLAGS);
  const cwd = process.cwd();
  // `--target ","` or `--target ""` names nothing: a usage error, never "everything".
  for (const [flag, values] of [
    ["--target", flags.target],
    ["--schema", flags.schema],
    ["--starter", flags.starter],
    ["--reporter", flags.reporter],
  ] as const) {
    if (values !== undefined && splitList(values).length === 0) {
      throw new UsageError(
        `${flag} ${JSON.stringify(Array.isArray(values) ? values.join(",") : values)} names no ${flag.slice(2)}; leave it out to check every one.`,
      );
    }
  }
  // Usage problems first, before any work: bad target/schema/option/shard/reporter/pack exit 2.
  const reporters = chooseReporters(flags, env, cwd);
  if (flags.update && flags.snapshot === undefined) throw new UsageError("--update rewrites snapshots: use it with --snapshot <dir>.");
  if (flags.snapshot !== undefined && flags.keep) throw new UsageError("--keep keeps the workspace of a full check; --snapshot has none.");
  if (flags.snapshot !== undefined && flags.snapshot.trim() === "") {
    throw new UsageError('--snapshot "" names no folder; give the folder that holds the snapshots: --snapshot snapshots.');
  }
  const selection = await select(flags, cwd);
  const reporter = createReporter(standardError());
  if (selection.shard && selection.combinations.length === 0) {
    reporter.info(`shard ${formatShard(selection.shard)} holds no combination (the matrix has fewer combinations than shards)`);
  }
  if (flags.snapshot !== undefined) return runSnapshot(flags.snapshot, flags.update ?? false, selection, reporters, reporter, cwd, env);

  const progress = createCheckProgress(standardError(), reporter.colors, selection.combinations.length * STEP_NAMES.length);
  let outcome;
  try {
    outcome = await runMatrixCheck({
      combinations: selection.combinations,
      fields: selection.fields,
      optionSpecs: selection.optionSpecs,
      template: selection.pack,
      templateLabel: selection.packLabel,
      vars: selection.vars,
      shard: selection.shard,
      offline: flags.offline ?? false,
      installCache: flags.cache === false ? false : cacheRoot(env),
      keep: flags.keep ?? false,
      cwd,
      progress,
      onKept: (root) => {
        progress.stop();
        reporter.info(`Workspace kept at ${root}`);
      },
    });
  } finally {
    progress.stop();
  }
  const { report } = outcome;

  reporter.info(formatTable(report, reporter.colors));
  const failures = formatFailures(report, reporter.colors);
  if (failures) reporter.info(`\n${failures}`);
  if (report.workspace) reporter.info(`\nWorkspace kept at ${report.workspace}`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (reporters.json) {
    if (reporters.output) writeOutput(reporters.output, json);
    else writeJsonReport(json);
  }
  if (reporters.junit && reporters.output)
    writeOutput(reporters.output, checkJunit(report, { timestamp: junitTimestamp(), hostname: os.hostname() }));
  if (reporters.github)
    emitGithub(checkAnnotations(report, outcome.rendered, env.GITHUB_WORKSPACE ?? cwd), checkSummary(report), reporters, reporter, env);
  if (!report.ok) throw new FailedError(failureSummary(report));
  const shard = report.shard ? ` (shard ${formatShard(report.shard)})` : "";
  reporter.success(`check passed${shard}: ${countOf(report.combinations.length, "combination")} in ${(report.durationMs / 1000).toFixed(1)}s`);
}

function snapshotFailure(report: SnapshotReport): string {
  const named = report.failures.map((failure) => (failure.step === "render" ? `${failure.combination} render` : failure.combination));
  // Under --update only a template that does not render fails: suggesting --update again would be a loop.
  if (report.updated)
    return `snapshot update incomplete: ${named.join(", ")} (fix the templates named above and run it again; the other snapshots are written)`;
  return `snapshot check failed: ${named.join(", ")} (review the diffs; if they are intended, run again with --update and commit ${path.basename(report.directory)}/)`;
}

async function runSnapshot(
  directory: string,
  update: boolean,
  selection: Selection,
  reporters: Reporters,
  reporter: Reporter,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const folder = path.resolve(cwd, directory);
  if (!update && !existsSync(folder)) {
    throw new FailedError(
      `No snapshots at ${folder}. Create them with: create-middleware check --snapshot ${directory} --update (then review and commit them).`,
    );
  }
  const { report, rendered } = await runSnapshotCheck({
    combinations: selection.combinations,
    directory: folder,
    given: directory,
    update,
    complete: selection.complete,
    shard: selection.shard,
    fields: selection.fields,
    optionSpecs: selection.optionSpecs,
    template: selection.pack,
    templateLabel: selection.packLabel,
    vars: selection.vars,
    cwd,
  });

  // The diffs on stdout (they apply with `patch -p1` inside the snapshot folder), unless stdout is JSON.
  const diffStream = reporters.json && reporters.output === undefined ? standardError() : standardOutput();
  const { colors } = reporter;
  for (const result of report.combinations) {
    if (result.render) {
      const where = result.render.file ? ` (${result.render.file}${result.render.line === undefined ? "" : `:${result.render.line}`})` : "";
      reporter.info(`${colors.red("✗")} ${result.id}: did not render${where}: ${result.render.message}`);
    } else if (result.status === "pass") {
      reporter.info(`${colors.green("✓")} ${result.id} ${colors.dim(`${result.files} files`)}`);
    } else if (result.status === "updated") {
      const created = result.differences.every((entry) => entry.change === "added") && result.differences.length === result.files;
      const what = created
        ? `created (${result.files} files)`
        : `updated: ${result.differences.map((entry) => `${entry.file} (${entry.change})`).join(", ")}`;
      reporter.info(`${colors.yellow("✎")} ${result.id} ${what}`);
    } else {
      reporter.info(`${colors.red("✗")} ${result.id}: ${result.differences.map((entry) => `${entry.file} (${entry.change})`).join(", ")}`);
      for (const difference of result.differences) diffStream.write(difference.diff);
    }
  }
  for (const name of report.adopted) reporter.info(`${colors.yellow("✎")} ${name}/ adopted: marked as a snapshot check wrote (${SNAPSHOT_MARKER})`);
  for (const name of report.deleted) reporter.info(`${colors.yellow("✎")} ${name}/ deleted: it belongs to no combination of the matrix`);
  for (const name of report.stale) reporter.info(`${colors.red("✗")} ${name}/ belongs to no combination of the matrix`);

  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (reporters.json) {
    if (reporters.output) writeOutput(reporters.output, json);
    else writeJsonReport(json);
  }
  if (reporters.junit && reporters.output)
    writeOutput(reporters.output, snapshotJunit(report, { timestamp: junitTimestamp(), hostname: os.hostname() }));
  if (reporters.github)
    emitGithub(snapshotAnnotations(report, rendered, env.GITHUB_WORKSPACE ?? cwd), snapshotSummary(report), reporters, reporter, env);
  if (!report.ok) throw new FailedError(snapshotFailure(report));
  const shard = report.shard ? ` (shard ${formatShard(report.shard)})` : "";
  const verb = update ? "snapshots up to date" : "snapshots match";
  reporter.success(`${verb}${shard}: ${countOf(report.combinations.length, "combination")} in ${(report.durationMs / 1000).toFixed(2)}s`);
}
