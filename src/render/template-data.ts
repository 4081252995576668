/**
 * Answers -> the data every template receives (docs/templates.md). Pure: the caller supplies the facts
 * from the outside world (author, year).
 */
import path from "node:path";
import type { Answers, PackageManager } from "../answers/answers.js";
import { constantIdentifier, factoryIdentifier, headerName, typeIdentifier } from "../answers/names.js";
import { fieldView, type FieldView, type OptionField } from "../answers/option-fields.js";
import { formatCommand, packageManagerCommands } from "../system/package-manager.js";
import { repositoryView, type RepositoryView } from "../system/repository.js";
import { schemaProfile, SCHEMAS, type Schema } from "../tables/schemas.js";
import { starterTarget, type Hook } from "../tables/starters.js";
import { LATEST_NODE_VERSION, NODE_ENGINE, NODE_VERSIONS } from "../tables/node-lines.js";
import { CHECK_TOOLS, COMMON_DEV_DEPENDENCIES, targetProfile, TARGETS, type Target } from "../tables/targets.js";

export interface Environment {
  /** `git config user.name`, or "" when unknown. */
  author: string;
  year: number;
  /** SPDX id for package.json and LICENSE; "MIT" when absent. */
  license?: string;
}

/** A response header the middleware sets, named by an option (the Express starter's request-id header). */
interface ResponseHeader {
  /** The `header` option's default: the header's name unless the user picks another. */
  defaultName: string;
  /** A boolean `setHeader` option with a default turns the header off and on. */
  switchable: boolean;
  /** Whether the header is sent when no option says otherwise: false when `setHeader` defaults to false. */
  sentByDefault: boolean;
  /** A valid header name that differs from `defaultName` in any case, for tests that pick another header. */
  otherName: string;
}

/** A header name other than `defaultName` (header names compare case-insensitively). */
function otherHeaderName(defaultName: string): string {
  return defaultName.toLowerCase() === "x-request-id" ? "X-Correlation-Id" : "X-Request-Id";
}

export interface TemplateData {
  packageName: string;
  directoryName: string;
  factoryName: string;
  typeName: string;
  constantName: string;
  headerName: string;
  description: string;
  /** package.json's description: the user's, else one derived from the target ("Express middleware"). */
  packageDescription: string;
  /** package.json's repository, homepage and bugs; null when no repository was given or found. */
  repository: RepositoryView | null;
  author: string;
  year: number;
  /** SPDX id ("MIT", "Apache-2.0", "UNLICENSED"); `licenseMit` is true for MIT (the LICENSE text we ship). */
  license: string;
  licenseMit: boolean;
  /** Answers to a team pack's own questions (docs/packs.md); {} without a pack. */
  vars: Record<string, unknown>;
  /** Besides id, title and handles, one boolean per target, named by the table's `flag`: `target.socketIo`. */
  target: { id: Target; title: string; handles: string } & Record<string, boolean | string>;
  schema: { id: Schema; title: string } & Record<Schema, boolean>;
  starter: { id: string; summary: string };
  fields: FieldView[];
  /** True when no --option was given and `fields` is the starter's own set. */
  starterFields: boolean;
  /**
   * Set when the fields include `header`, a string with a default (as the request-id starter's do): the
   * request-id skeleton then validates it as a header name and sends the request id in that response header.
   */
  responseHeader: ResponseHeader | false;
  /** The fields the skeleton does not act on itself: all but `header` and `setHeader` when responseHeader uses them. */
  plainFields: FieldView[];
  /**
   * For each of the starter's own fields: whether the package still has it (same name, type, union values
   * and default-ness), so the starter's code reads `settings.<name>` rather than a fixed value.
   */
  has: Record<string, boolean>;
  /** True when the package keeps at least one of the starter's own fields (so its code reads `settings`). */
  ownFieldsKept: boolean;
  /** The package's fields by name: `byName.header.defaultValue`. */
  byName: Record<string, FieldView>;
  /** The starter's function-valued options; `expected` and `example` filled in, `%T` replaced. */
  hooks: Array<Required<Hook>>;
  optionNames: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  /** The peers the middleware also runs without: package.json marks them optional. */
  optionalPeerDependencies: string[];
  devDependencies: Record<string, string>;
  keywords: string[];
  packageManager: {
    id: PackageManager;
    install: string;
    /** The lockfile install CI runs: "npm ci". */
    ci: string;
    add: string;
    /** The lockfile the install writes: "package-lock.json". */
    lockfile: string;
    run: Record<PackageScript, string>;
  };
  nodeVersions: number[];
  /** The newest of them: the macOS and Windows legs and the packaging job run on it. */
  latestNodeVersion: number;
  nodeEngine: string;
  /** The checks the package's scripts run through `npx`, pinned: `tools.biome` is "@biomejs/biome@2.6.9". */
  tools: { biome: string; biomeVersion: string; publint: string; attw: string };
}

/** The generated package's scripts that templates print a command for, by key: `run.lintPackage`. */
const PACKAGE_SCRIPTS = {
  build: "build",
  test: "test",
  typecheck: "typecheck",
  example: "example",
  lint: "lint",
  format: "format",
  testCoverage: "test:coverage",
  lintPackage: "lint:package",
  testConsumers: "test:consumers",
} as const;
type PackageScript = keyof typeof PACKAGE_SCRIPTS;

// Code-point order, as npm writes dependency names; localeCompare would load ICU's collator (~15 ms).
function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The starter's own option fields, for this package. */
function starterFields(answers: Pick<Answers, "target" | "starter" | "packageName">): OptionField[] {
  return starterTarget(answers.starter, answers.target).fields({ headerName: headerName(answers.packageName) });
}

/** The option fields of the package: the user's, or the starter's own set. */
export function effectiveFields(answers: Pick<Answers, "fields" | "target" | "starter" | "packageName">): OptionField[] {
  return answers.fields ?? starterFields(answers);
}

function sameField(a: OptionField, b: OptionField): boolean {
  return (
    a.name === b.name && a.kind === b.kind && a.values.join("|") === b.values.join("|") && (a.default === undefined) === (b.default === undefined)
  );
}

/** The `header` field (a string with a default) and the boolean `setHeader` with a default that switches it. */
function responseHeaderFields(fields: readonly FieldView[]): { header: FieldView; switch: FieldView | undefined } | undefined {
  const header = fields.find((field) => field.name === "header" && field.kind === "string" && field.hasDefault);
  if (!header) return undefined;
  return { header, switch: fields.find((field) => field.name === "setHeader" && field.kind === "boolean" && field.hasDefault) };
}

export function templateData(answers: Answers, environment: Environment, vars: Record<string, unknown> = {}): TemplateData {
  const target = targetProfile(answers.target);
  const schema = schemaProfile(answers.schema);
  const starter = starterTarget(answers.starter, answers.target);
  const factoryName = factoryIdentifier(answers.packageName);
  const typeName = typeIdentifier(factoryName);
  const declared = effectiveFields(answers);
  const fields = declared.map(fieldView);
  const header = responseHeaderFields(fields);
  const kept = starterFields(answers).map((own): [string, boolean] => [own.name, declared.some((field) => sameField(field, own))]);
  const commands = packageManagerCommands(answers.packageManager);
  const run = (script: string) => formatCommand(commands.run(script));
  return {
    packageName: answers.packageName,
    directoryName: path.basename(answers.directory),
    factoryName,
    typeName,
    constantName: constantIdentifier(factoryName),
    headerName: headerName(answers.packageName),
    description: answers.description,
    packageDescription: answers.description || `${target.title} middleware`,
    repository: answers.repository === undefined ? null : repositoryView(answers.repository),
    author: environment.author,
    year: environment.year,
    license: environment.license ?? "MIT",
    licenseMit: (environment.license ?? "MIT") === "MIT",
    vars,
    target: {
      id: target.id,
      title: target.title,
      handles: target.handles,
      ...Object.fromEntries(TARGETS.map((id) => [targetProfile(id).flag, id === answers.target])),
    },
    schema: {
      id: schema.id,
      title: schema.title,
      ...(Object.fromEntries(SCHEMAS.map((id) => [id, id === answers.schema])) as Record<Schema, boolean>),
    },
    starter: { id: answers.starter, summary: starter.summary },
    fields,
    starterFields: answers.fields === undefined,
    responseHeader: header
      ? {
          defaultName: String(header.header.defaultValue),
          switchable: header.switch !== undefined,
          // The generated tests follow the values: with `setHeader` off by default they expect no header.
          sentByDefault: header.switch === undefined || header.switch.defaultValue === true,
          otherName: otherHeaderName(String(header.header.defaultValue)),
        }
      : false,
    plainFields: fields.filter((field) => field !== header?.header && field !== header?.switch),
    has: Object.fromEntries(kept),
    ownFieldsKept: kept.some(([, isKept]) => isKept),
    byName: Object.fromEntries(fields.map((view) => [view.name, view])),
    hooks: starter.hooks.map((hook) => ({
      expected: "a function",
      example: "() => undefined",
      ...hook,
      signature: hook.signature.replaceAll("%T", typeName),
      description: hook.description.replaceAll("%T", typeName),
    })),
    optionNames: [...fields.map((field) => field.name), ...starter.hooks.map((hook) => hook.name)],
    dependencies: sortedRecord(schema.dependencies),
    peerDependencies: sortedRecord(target.peerDependencies),
    optionalPeerDependencies: [...target.optionalPeerDependencies],
    devDependencies: sortedRecord({ ...COMMON_DEV_DEPENDENCIES, ...target.devDependencies, ...starter.devDependencies }),
    keywords: [...new Set([...target.keywords, ...(starter.keywords ?? []), ...schema.keywords])],
    packageManager: {
      id: answers.packageManager,
      install: formatCommand(commands.install),
      ci: formatCommand(commands.ci),
      add: formatCommand(commands.add),
      lockfile: commands.lockfile,
      run: Object.fromEntries(Object.entries(PACKAGE_SCRIPTS).map(([key, script]) => [key, run(script)])) as Record<PackageScript, string>,
    },
    nodeVersions: [...NODE_VERSIONS],
    latestNodeVersion: LATEST_NODE_VERSION,
    nodeEngine: NODE_ENGINE,
    tools: { ...CHECK_TOOLS, biomeVersion: CHECK_TOOLS.biome.slice(CHECK_TOOLS.biome.lastIndexOf("@") + 1) },
  };
}
