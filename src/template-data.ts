/**
 * Answers -> the data every template receives (docs/templates.md). Pure: the caller supplies the facts
 * from the outside world (author, year).
 */
import path from "node:path";
import type { Answers, PackageManager } from "./answers.js";
import { constantIdentifier, factoryIdentifier, headerName, typeIdentifier } from "./names.js";
import { fieldView, type FieldView, type OptionField } from "./option-fields.js";
import { formatCommand, packageManagerCommands } from "./package-manager.js";
import { schemaProfile, SCHEMAS, type Schema } from "./schemas.js";
import { COMMON_DEV_DEPENDENCIES, targetProfile, TARGETS, type Hook, type Target } from "./targets.js";

export const NODE_ENGINE = ">=20.19";
export const NODE_VERSIONS = [20, 22, 24];

export interface Environment {
  /** `git config user.name`, or "" when unknown. */
  author: string;
  year: number;
}

export interface TemplateData {
  packageName: string;
  directoryName: string;
  factoryName: string;
  typeName: string;
  constantName: string;
  headerName: string;
  description: string;
  author: string;
  year: number;
  /** Besides id and title, one boolean per target, named by the table's `flag`: `target.socketIo`. */
  target: { id: Target; title: string } & Record<string, boolean | string>;
  schema: { id: Schema; title: string } & Record<Schema, boolean>;
  fields: FieldView[];
  /** True when no --option was given and `fields` is the target's starter set, which the skeleton uses. */
  starterFields: boolean;
  hooks: Hook[];
  optionNames: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  keywords: string[];
  packageManager: {
    id: PackageManager;
    install: string;
    add: string;
    run: { build: string; test: string; typecheck: string; example: string };
  };
  nodeVersions: number[];
  nodeEngine: string;
}

// Code-point order, as npm writes dependency names; localeCompare would load ICU's collator (~15 ms).
function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The option fields of the package: the user's, or the target's starter set. */
export function effectiveFields(answers: Pick<Answers, "fields" | "target" | "packageName">): OptionField[] {
  return answers.fields ?? targetProfile(answers.target).starterFields({ headerName: headerName(answers.packageName) });
}

export function templateData(answers: Answers, environment: Environment): TemplateData {
  const target = targetProfile(answers.target);
  const schema = schemaProfile(answers.schema);
  const factoryName = factoryIdentifier(answers.packageName);
  const fields = effectiveFields(answers).map(fieldView);
  const commands = packageManagerCommands(answers.packageManager);
  const run = (script: string) => formatCommand(commands.run(script));
  return {
    packageName: answers.packageName,
    directoryName: path.basename(answers.directory),
    factoryName,
    typeName: typeIdentifier(factoryName),
    constantName: constantIdentifier(factoryName),
    headerName: headerName(answers.packageName),
    description: answers.description,
    author: environment.author,
    year: environment.year,
    target: {
      id: target.id,
      title: target.title,
      ...Object.fromEntries(TARGETS.map((id) => [targetProfile(id).flag, id === answers.target])),
    },
    schema: {
      id: schema.id,
      title: schema.title,
      ...(Object.fromEntries(SCHEMAS.map((id) => [id, id === answers.schema])) as Record<Schema, boolean>),
    },
    fields,
    starterFields: answers.fields === undefined,
    hooks: target.hooks,
    optionNames: [...fields.map((field) => field.name), ...target.hooks.map((hook) => hook.name)],
    dependencies: sortedRecord(schema.dependencies),
    peerDependencies: sortedRecord(target.peerDependencies),
    devDependencies: sortedRecord({ ...COMMON_DEV_DEPENDENCIES, ...target.devDependencies }),
    keywords: [...target.keywords, ...schema.keywords],
    packageManager: {
      id: answers.packageManager,
      install: formatCommand(commands.install),
      add: formatCommand(commands.add),
      run: { build: run("build"), test: run("test"), typecheck: run("typecheck"), example: run("example") },
    },
    nodeVersions: NODE_VERSIONS,
    nodeEngine: NODE_ENGINE,
  };
}
