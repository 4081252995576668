/**
 * The JUnit XML reporter (`--reporter junit --output file.xml`), for CI systems other than GitHub's. The
 * Ant/Jenkins JUnit schema: <testsuites> of <testsuite> (name, tests, failures, errors, skipped, time,
 * timestamp, hostname, id, package; <properties>, <system-out>, <system-err>) of <testcase> (name,
 * classname, time) holding <failure message type> or <skipped message>. One suite per combination, one
 * case per step; a full check adds a "workspace" suite for the shared install. Pure.
 */
import type { CheckReport, StepResult } from "./report.js";
import { formatShard } from "./shard.js";
import type { SnapshotReport } from "./snapshot.js";

export interface JunitContext {
  /** ISO 8601 without time zone, as the schema's timestamp wants: "2026-11-22T02:40:00". */
  timestamp: string;
  hostname: string;
}

export function junitTimestamp(date = new Date()): string {
  return date.toISOString().slice(0, 19);
}

// XML 1.0 allows tab, newline, carriage return and everything from U+0020 except the surrogates and FFFE/FFFF.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export function xmlText(text: string): string {
  return text
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const attributes = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([key, value]) => `${key}="${xmlText(String(value))}"`)
    .join(" ");

interface Case {
  name: string;
  classname: string;
  durationMs: number;
  status: "pass" | "fail" | "skipped";
  type: string;
  message?: string;
  body?: string;
}

interface Suite {
  name: string;
  durationMs: number;
  cases: Case[];
}

function testcase(entry: Case): string {
  const open = `    <testcase ${attributes({ name: entry.name, classname: entry.classname, time: seconds(entry.durationMs) })}`;
  if (entry.status === "pass") return `${open}/>`;
  if (entry.status === "skipped") return `${open}>\n      <skipped ${attributes({ message: entry.message ?? "skipped" })}/>\n    </testcase>`;
  const failure = `<failure ${attributes({ message: entry.message ?? `${entry.name} failed`, type: entry.type })}>${xmlText(entry.body ?? "")}</failure>`;
  return `${open}>\n      ${failure}\n    </testcase>`;
}

function document(name: string, suites: readonly Suite[], properties: Record<string, string>, context: JunitContext): string {
  const count = (cases: readonly Case[], status: Case["status"]) => cases.filter((entry) => entry.status === status).length;
  const all = suites.flatMap((suite) => suite.cases);
  const totalMs = suites.reduce((sum, suite) => sum + suite.durationMs, 0);
  const props = Object.entries(properties)
    .map(([key, value]) => `      <property ${attributes({ name: key, value })}/>`)
    .join("\n");
  const body = suites.map((suite, id) =>
    [
      `  <testsuite ${attributes({
        name: suite.name,
        tests: suite.cases.length,
        failures: count(suite.cases, "fail"),
        errors: 0,
        skipped: count(suite.cases, "skipped"),
        time: seconds(suite.durationMs),
        timestamp: context.timestamp,
        hostname: context.hostname,
        id,
        package: name,
      })}>`,
      props ? `    <properties>\n${props}\n    </properties>` : "    <properties/>",
      ...suite.cases.map(testcase),
      "    <system-out/>",
      "    <system-err/>",
      "  </testsuite>",
    ].join("\n"),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({ name, tests: all.length, failures: count(all, "fail"), errors: 0, skipped: count(all, "skipped"), time: seconds(totalMs) })}>`,
    ...body,
    "</testsuites>",
    "",
  ].join("\n");
}

const stepCase = (combination: string, step: StepResult): Case => ({
  name: step.name,
  classname: combination,
  durationMs: step.durationMs,
  status: step.status,
  type: step.name,
  ...(step.message === undefined ? {} : { message: step.message }),
  body: [step.file ? `${step.file}${step.line === undefined ? "" : `:${step.line}`}` : "", step.command ?? "", step.log ?? ""]
    .filter((part) => part !== "")
    .join("\n"),
});

export function checkJunit(report: CheckReport, context: JunitContext): string {
  const { install } = report;
  const suites: Suite[] = [
    {
      name: "workspace",
      durationMs: install.durationMs,
      cases: [
        {
          name: "install",
          classname: "workspace",
          durationMs: install.durationMs,
          status: install.status,
          type: "install",
          ...(install.message === undefined ? {} : { message: install.message }),
          body: [install.command, install.log ?? ""].join("\n").trim(),
        },
      ],
    },
    ...report.combinations.map((result) => ({
      name: result.id,
      durationMs: result.durationMs,
      cases: result.steps.map((step) => stepCase(result.id, step)),
    })),
  ];
  return document("create-middleware check", suites, properties(report), context);
}

export function snapshotJunit(report: SnapshotReport, context: JunitContext): string {
  const suites: Suite[] = report.combinations.map((result) => ({
    name: result.id,
    durationMs: 0,
    cases: [
      {
        name: "snapshot",
        classname: result.id,
        durationMs: 0,
        status: result.status === "fail" ? "fail" : "pass",
        type: result.render ? "render" : "snapshot",
        ...(result.status === "fail"
          ? { message: result.render?.message ?? `differs: ${result.differences.map((entry) => entry.file).join(", ")}` }
          : {}),
        body: result.differences.map((entry) => entry.diff).join("\n"),
      },
    ],
  }));
  if (report.stale.length > 0) {
    suites.push({
      name: "snapshot folder",
      durationMs: 0,
      cases: report.stale.map((name) => ({
        name,
        classname: "stale",
        durationMs: 0,
        status: "fail",
        type: "snapshot",
        message: `${name}/ belongs to no combination of the matrix`,
      })),
    });
  }
  // Time is the whole run's; per combination it is too small to matter.
  if (suites[0]) suites[0].durationMs = report.durationMs;
  return document("create-middleware check --snapshot", suites, properties(report), context);
}

function properties(report: { shard: { index: number; count: number } | null; template: string | null; options: string[] }): Record<string, string> {
  return {
    ...(report.shard ? { shard: formatShard(report.shard) } : {}),
    ...(report.template ? { template: report.template } : {}),
    ...(report.options.length > 0 ? { options: report.options.join(" ") } : {}),
  };
}
