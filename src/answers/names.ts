/**
 * Names derived from what the user typed: the npm package name, the directory, and the identifiers the
 * generated code uses. Everything here is pure.
 */
import path from "node:path";
import validatePackageName from "validate-npm-package-name";
import { UsageError } from "../errors.js";
import { controlCharacterProblem } from "./text-rules.js";

const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with yield let static implements interface package private protected public await arguments eval " +
    "undefined NaN Infinity globalThis"
  ).split(" "),
);

const SCOPED_NAME = /^@[^/\s@]+\/[^/\s]+$/;

/** `@acme/my-logger` -> `my-logger`; `my-logger` -> `my-logger`. */
export function unscopedName(packageName: string): string {
  return packageName.slice(packageName.lastIndexOf("/") + 1);
}

export function isScopedName(value: string): boolean {
  return SCOPED_NAME.test(value);
}

/** A best-effort valid name to suggest when the user's is not one. */
export function suggestPackageName(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "");
  return slug || "my-middleware";
}

/** What npm would object to in the name, in one line; undefined when it is a valid name for a new package. */
export function packageNameProblem(name: string): string | undefined {
  const control = controlCharacterProblem(name, "The package name");
  if (control !== undefined) return control;
  const result = validatePackageName(name);
  if (result.validForNewPackages) return undefined;
  const problems = [...(result.errors ?? []), ...(result.warnings ?? [])];
  return `"${name}" is not a valid npm package name: ${problems.join("; ")}.`;
}

/** Throws a UsageError naming every problem npm would have with the name, and a fix. */
export function assertValidPackageName(name: string): void {
  const problem = packageNameProblem(name);
  if (problem === undefined) return;
  throw new UsageError(`${problem}\nChoose another with --name, for example --name ${suggestPackageName(unscopedName(name))}`);
}

/**
 * What is wrong with the directory argument, in one line; undefined when nothing is. Empty or blank
 * (it would mean the current folder), control characters, and a malformed scope: an argument starting
 * with `@` names a scoped package, so it must be exactly `@scope/name` (`@/x`, `@a/b/c`, `@a/` are
 * refused rather than created as folders).
 */
export function directoryProblem(argument: string): string | undefined {
  if (argument.trim() === "") {
    return 'The directory argument is empty. Name a new folder (for example my-middleware), or "." for the current one.';
  }
  const control = controlCharacterProblem(argument, "The directory");
  if (control !== undefined) return control;
  if (argument.startsWith("@") && !isScopedName(argument)) {
    const parts = argument.split("/");
    const why =
      parts.length > 2
        ? "it has more than one slash"
        : parts.length < 2 || parts[1] === ""
          ? "it has no name after the scope"
          : "the scope before the slash is not a name";
    return `"${argument}" is not a scoped package name (${why}). Write @scope/name (it creates ./name), or start with ./ to mean a folder.`;
  }
  if (isScopedName(argument)) return packageNameProblem(argument);
  return undefined;
}

function words(name: string): string[] {
  return unscopedName(name)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The factory's identifier: camelCase of the unscoped name, always a valid, non-reserved JS identifier.
 * `my-logger` -> `myLogger`, `404-handler` -> `middleware404Handler`, `delete` -> `deleteMiddleware`.
 */
export function factoryIdentifier(packageName: string): string {
  const parts = words(packageName).map((word, index) => (index === 0 ? word.toLowerCase() : capitalize(word)));
  let identifier = parts.join("");
  if (identifier === "") return "middleware";
  if (/^[0-9]/.test(identifier)) identifier = `middleware${capitalize(identifier)}`;
  if (RESERVED_WORDS.has(identifier)) identifier = `${identifier}Middleware`;
  return identifier;
}

/** PascalCase prefix for exported types: `myLogger` -> `MyLogger`. */
export function typeIdentifier(factoryName: string): string {
  return capitalize(factoryName);
}

/** SCREAMING_SNAKE_CASE for constants: `myLogger` -> `MY_LOGGER`. */
export function constantIdentifier(factoryName: string): string {
  return factoryName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** An HTTP header name for the package: `@acme/my-logger` -> `X-My-Logger`. Only token characters. */
export function headerName(packageName: string): string {
  const parts = words(packageName).map((word) => capitalize(word.toLowerCase()));
  return ["X", ...(parts.length > 0 ? parts : ["Middleware"])].join("-");
}

export interface Location {
  directory: string;
  packageName: string;
}

/**
 * Where the package goes and what it is called, from the positional argument and --name.
 * `@acme/my-logger` as the argument means the directory `my-logger` holding the package `@acme/my-logger`.
 */
export function resolveLocation(argument: string, nameFlag: string | undefined, cwd: string): Location {
  if (nameFlag === undefined && isScopedName(argument)) {
    return { directory: path.resolve(cwd, unscopedName(argument)), packageName: argument };
  }
  const directory = path.resolve(cwd, argument);
  return { directory, packageName: nameFlag ?? path.basename(directory) };
}
