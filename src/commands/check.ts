/**
 * `create-middleware check`: flags -> the matrix check -> a table on stderr (and the JSON report on stdout
 * with --json). Exit 0 only when every step of every combination passed.
 */
import { FailedError, UsageError } from "../errors.js";
import { assertFieldNames, parseOptionSpec, type OptionField } from "../option-fields.js";
import { createReporter } from "../output.js";
import { hookNames } from "../targets.js";
import { resolvePack } from "../create.js";
import { parseVarFlags, resolvePackVars } from "../packs/questions.js";
import { selectCombinations, splitList } from "../check/matrix.js";
import { createProgress } from "../check/progress.js";
import { STEP_NAMES, type CheckReport } from "../check/report.js";
import { runMatrixCheck } from "../check/run-check.js";
import { formatFailures, formatTable } from "../check/table.js";

export interface CheckFlags {
  target?: string[];
  schema?: string[];
  option?: string[];
  template?: string;
  var?: string[];
  offline?: boolean;
  json?: boolean;
  keep?: boolean;
}

function failureSummary(report: CheckReport): string {
  const named = report.failures.map((failure) => `${failure.combination} ${failure.step}`);
  const failedCombinations = report.combinations.filter((result) => result.status === "fail").length;
  return `check failed (${failedCombinations} of ${report.combinations.length} combinations): ${named.join(", ")}`;
}

export async function runCheck(flags: CheckFlags): Promise<void> {
  const cwd = process.cwd();
  // `--target ","` or `--target ""` names nothing: a usage error, never "everything".
  for (const [flag, values] of [["--target", flags.target], ["--schema", flags.schema]] as const) {
    if (values !== undefined && splitList(values).length === 0) {
      throw new UsageError(`${flag} ${JSON.stringify(Array.isArray(values) ? values.join(",") : values)} names no ${flag.slice(2)}; leave it out to check every one.`);
    }
  }
  // Usage problems first, before any work: bad target/schema/option/pack/var exit 2. The pack is fetched
  // once; every combination then reads it from its folder (or the cache).
  const pack = await resolvePack(flags.template, { cwd, offline: flags.offline ?? false });
  // Without --target / --schema, the matrix is what the pack's manifest declares (else everything).
  const combinations = selectCombinations(
    flags.target === undefined ? (pack?.manifest?.targets ?? []) : splitList(flags.target),
    flags.schema === undefined ? (pack?.manifest?.schemas ?? []) : splitList(flags.schema),
  );
  const optionSpecs = flags.option ?? [];
  let fields: OptionField[] | undefined;
  if (optionSpecs.length > 0) {
    fields = optionSpecs.map(parseOptionSpec);
    for (const target of new Set(combinations.map((entry) => entry.target))) assertFieldNames(fields, hookNames(target));
  }
  // The pack's questions answered from --var, then their defaults (a check never prompts).
  const { vars } = await resolvePackVars(pack?.manifest?.questions, { flags: parseVarFlags(flags.var ?? []) });
  const template = pack === undefined ? undefined : pack.source.kind === "tarball" ? pack.source.path : pack.tree.root;

  const reporter = createReporter(process.stderr);
  const progress = createProgress(process.stderr, reporter.colors, combinations.length * STEP_NAMES.length);
  let report: CheckReport;
  try {
    report = await runMatrixCheck({
      combinations,
      fields,
      optionSpecs,
      template,
      vars,
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

  reporter.info(formatTable(report, reporter.colors));
  const failures = formatFailures(report, reporter.colors);
  if (failures) reporter.info(`\n${failures}`);
  if (report.workspace) reporter.info(`\nWorkspace kept at ${report.workspace}`);
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (!report.ok) throw new FailedError(failureSummary(report));
  reporter.success(`check passed: ${report.combinations.length} combinations in ${(report.durationMs / 1000).toFixed(1)}s`);
}
