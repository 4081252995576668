/**
 * The command line: commander maps argv to the library, and one catch maps errors to exit codes.
 * Commands are imported only when they run, so --help and --version stay instant.
 */
import { existsSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
// Bundled at build time: no package.json to find and read at start-up.
import packageJson from "../package.json" with { type: "json" };
import { CancelledError, EXIT, isKnownError, UsageError } from "./errors.js";
import { installInterruptHandlers } from "./system/interrupt.js";
import { writeJsonFailure, type JsonFailure } from "./system/json-output.js";
import { guardStandardStreams, isNodeStream, standardError, standardOutput, type OutputStream } from "./system/standard-streams.js";
import { schemaHelp } from "./tables/schemas.js";
import { closestWord } from "./answers/suggest.js";
import { starterHelp } from "./tables/starters.js";
import { targetHelp, targetProfile, TARGETS } from "./tables/targets.js";

const { version } = packageJson;

type JsonFailureCode = JsonFailure["error"]["code"];

const collect = (value: string, previous: string[] = []) => [...previous, value];

const EXAMPLES = `
Examples:
  $ npx create-middleware-package my-logger
      asks for what the flags do not say (on a terminal)
  $ npx create-middleware-package @acme/request-id --target express --schema zod --yes
      creates ./request-id holding @acme/request-id, no questions
  $ npx create-middleware-package my-auth -t socket.io -o "header:string=x-token" -o "strict:boolean=true" -y
      a Socket.IO middleware with two options of your own
  $ npx create-middleware-package my-logger --dry-run --json
      prints the plan as JSON and writes nothing
  $ npx create-middleware-package my-logger --template npm:@acme/mw-pack@^2 --var team=payments -y
      from the team's pack (also github:acme/mw-pack#v2, ./pack.tgz, ./folder), answering its question
  $ npx create-middleware-package --answers my-logger/.create-middleware.json -y
      regenerates a package exactly from its recorded answers

Team defaults: create-middleware.config.json (or a "create-middleware" key in package.json) here or above,
  then ~/.config/create-middleware/config.json: scope, author, license, template, pm, target, schema, vars,
  updateWorkflow.

Option specs (-o): name:type[=default] with type string, number, boolean, string[] or a union a|b|c,
  e.g. -o "level:info|debug=info" -o "maxItems:number=10" -o "tags:string[]".

Exit codes: 0 done, 1 failed (write, install, check, fetch), 2 usage error, 130 interrupted.
`;

/** "Express or Socket.IO", "A, B or C": the targets as the description names them. */
function targetTitles(): string {
  const titles = TARGETS.map((target) => targetProfile(target).title);
  return titles.length > 1 ? `${titles.slice(0, -1).join(", ")} or ${titles.at(-1)}` : titles.join("");
}

function addCheck(program: Command): void {
  program
    .command("check")
    .description(
      "render every combination (a matrix covering each starter and schema per target; --all: every one), install once, and run typecheck, lint, build, test and packaging checks (--snapshot: compare renders only)",
    )
    .addOption(new Option("-t, --target <target...>", "only these targets (repeatable or comma-separated)"))
    .addOption(new Option("-s, --schema <schema...>", "only these schemas (repeatable or comma-separated)"))
    .addOption(new Option("--starter <starter...>", "only these starters (repeatable or comma-separated)"))
    .option("--all", "every target x schema x starter combination, not only a matrix covering each starter and schema")
    .option("-o, --option <spec>", "render every combination with this option field, repeatable: name:type[=default]", collect)
    .option("--template <source>", "check a team template pack (any source); without --target/--schema, the matrix its pack.json declares")
    .option("--var <key=value>", "answer one of the pack's questions, repeatable (else its default)", collect)
    .option("--offline", "use cached packs only; fetch nothing")
    .option("--json", "print the report as JSON on stdout (same as --reporter json)")
    .option("--keep", "keep the temporary workspace and print its path")
    .option("--no-cache", "install the workspace afresh instead of reusing node_modules cached for the same manifests (a day at most)")
    .option("--snapshot <dir>", "render every combination in memory and compare it with the copies in <dir> (no install)")
    .option("--update", "with --snapshot: rewrite the copies in <dir> instead of failing")
    .option("--shard <i/n>", "check only the i-th of n stable slices of the matrix (for a CI job matrix)")
    .addOption(new Option("--reporter <name...>", "table | json | github | junit (github is automatic under GitHub Actions)"))
    .option("--output <file>", "write the json or junit report to this file")
    .exitOverride()
    .action(async (flags: Record<string, unknown>) => {
      const { runCheck } = await import("./commands/check.js");
      await runCheck(flags);
    });
}

function addUpdate(program: Command): void {
  program
    .command("update")
    .description("bring a generated package forward to the current templates, merging them with your changes")
    .argument("[dir]", "the package (default: the nearest folder upward holding .create-middleware.json)")
    .option("--dry-run", "write nothing; show what would change, with diffs")
    .option("--json", "machine-readable report on stdout (with diffs)")
    .option("-y, --yes", "take the default for every new question no flag answers")
    .option("-i, --interactive", "ask every question again (target, starter, schema, the pack's), the recorded answers preselected")
    .option("--force", "update even when the package's git work tree has uncommitted changes, or files still hold conflict markers")
    .option("-s, --schema <schema>", "switch the options module to another schema on the way")
    .option("-o, --option <spec>", "replace the option fields, repeatable: name:type[=default]", collect)
    .option("--var <key=value>", "answer a pack question (new or changed), repeatable", collect)
    .option("--vars-file <file>", 'answer several pack questions from a JSON object ({"region": "eu"}); --var wins')
    .option("--starter <name>", "switch to another starter (one the pack added since included)")
    .option("--template <source>", "move to another pack source or version (default: the recorded one)")
    .option("--keep-template", "stay on the recorded create-middleware and pack versions: only the answers change")
    .option("--from <clone>", "fetch the recorded git pack from this local clone; the recorded source stays as it is")
    .option("--offline", "fetch nothing: a remote pack must be in the cache")
    .option("--pm <manager>", "the package manager the README's commands name and the install uses (default: as the package was made)")
    .option("--no-install", "do not install when package.json's dependencies change (installed by default, as create does)")
    .option("--update-workflow", "add .github/workflows/template-update.yml on the way (--no-update-workflow drops it)")
    .option("--no-update-workflow", "drop the template-update workflow on the way")
    .option(
      "--pull-request",
      "in CI (template-update.yml): commit the update on create-middleware/update-<version> and open or refresh its pull request with gh",
    )
    .option("--all", "with --pull-request at a monorepo's root: every package it made, one pull request per pack version")
    .addHelpText(
      "after",
      "\nConflicts are left with <<<<<<< yours / ======= / >>>>>>> template markers, listed, and exit 1.\n" +
        "Exit codes: 0 updated (or nothing to do), 1 failed or conflicts to resolve, 2 usage error, 130 interrupted.\n",
    )
    .exitOverride()
    .action(async (dir: string | undefined, flags: Record<string, unknown>) => {
      const { runUpdate } = await import("./commands/update.js");
      await runUpdate(dir, flags);
    });
}

function addOutdated(program: Command): void {
  program
    .command("outdated")
    .description(
      "exit 1 and list what changed when the package's templates have moved on (with an npm or git pack's current, wanted and latest versions); exit 0 when current",
    )
    .argument(
      "[dir]",
      "the package (default: the nearest folder upward holding .create-middleware.json); a monorepo's root: every member it made, one line each",
    )
    .option("--json", "print the report as JSON on stdout")
    .option("--offline", "fetch nothing: a remote pack must be in the cache")
    .option("--template <source>", "compare with another pack source or version (default: the recorded one)")
    .addHelpText("after", "\nExit codes: 0 up to date, 1 an update exists (or the check failed), 2 usage error, 130 interrupted.\n")
    .exitOverride()
    .action(async (dir: string | undefined, flags: Record<string, unknown>) => {
      const { runOutdated } = await import("./commands/outdated.js");
      await runOutdated(dir, flags);
    });
}

function addDiff(program: Command): void {
  program
    .command("diff")
    .description("show what the package changed against the templates it was made from (the drift check for CI)")
    .argument("[dir]", "the package (default: the nearest folder upward holding .create-middleware.json)")
    .option("--exit-code", "exit 1 when there is a difference, as git diff --exit-code does")
    .option("--stat", "list the changed files only, without the diffs")
    .option("--json", "print the report as JSON on stdout")
    .option("--offline", "fetch nothing: a remote pack must be in the cache")
    .option(
      "--template <source>",
      "compare with the package's answers rendered by another pack source or version (default: the templates it was made from)",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 done (with --exit-code: no difference), 1 a difference with --exit-code (or a failure), 2 usage error, 130 interrupted.\n",
    )
    .exitOverride()
    .action(async (dir: string | undefined, flags: Record<string, unknown>) => {
      const { runDiff } = await import("./commands/diff.js");
      await runDiff(dir, flags);
    });
}

function addLink(program: Command): void {
  program
    .command("link")
    .description(
      "adopt a package create-middleware did not make: record its answers and the templates' render of them as the base, so diff, outdated and update work on it",
    )
    .argument("[dir]", "the package's folder (default: the current one); it needs a package.json")
    .option("-t, --target <target>", "the target (default: the one the package's dependencies name, when only one does)")
    .option("-s, --schema <schema>", "the options schema (default: the one the package's dependencies name, else none)")
    .option("--starter <name>", "the starter the templates render for it")
    .option("-n, --name <name>", "npm package name (default: package.json's)")
    .option("-d, --description <text>", "the description (default: package.json's)")
    .option("-o, --option <spec>", "an option field, repeatable: name:type[=default]", collect)
    .option("--repo <url>", "the source repository (default: package.json's repository)")
    .option("--pm <manager>", "the package manager the README's commands name (default: the lockfile's)")
    .option("--template <source>", "the team template pack the package follows from now on (any source)")
    .option("--var <key=value>", "answer one of the pack's questions, repeatable", collect)
    .option("--vars-file <file>", 'answer the pack\'s questions from a JSON object ({"region": "eu"}); --var wins')
    .option("--update-workflow", "record that the package has the template-update workflow")
    .option("--no-update-workflow", "record that it has not")
    .option("-y, --yes", "take the default for every question no flag or package.json answers")
    .option("--force", "link a package that already holds .create-middleware.json, replacing its answers and base")
    .option("--dry-run", "write nothing; say what would be recorded")
    .option("--json", "print the report as JSON on stdout")
    .option("--offline", "fetch nothing: a remote pack must be in the cache")
    .addHelpText(
      "after",
      "\nIt writes .create-middleware.json only; your files stay as they are (diff shows how they differ from the templates).\n" +
        "Exit codes: 0 linked, 1 failed, 2 usage error (no package.json, already linked without --force), 130 interrupted.\n",
    )
    .exitOverride()
    .action(async (dir: string | undefined, flags: Record<string, unknown>) => {
      const { runLink } = await import("./commands/link.js");
      await runLink(dir, flags);
    });
}

function addTemplate(program: Command): void {
  program
    .command("template")
    .description("work with team template packs")
    .exitOverride()
    .command("init")
    .argument("<dir>", "the folder for the new pack")
    .description("copy the built-in templates into <dir> to start a team pack")
    .exitOverride()
    .action(async (dir: string) => {
      const { runTemplateInit } = await import("./commands/template-init.js");
      await runTemplateInit(dir);
    });
}

/** Each subcommand, by the word that names it. */
const SUBCOMMANDS: Record<string, (program: Command) => void> = {
  check: addCheck,
  update: addUpdate,
  outdated: addOutdated,
  diff: addDiff,
  link: addLink,
  template: addTemplate,
};

/**
 * Defining the subcommands (some forty options) is a good part of commander's work at start-up, so a run
 * only defines them when its arguments could name one, or ask for the help that lists them: without such a
 * word among the arguments, commander could not dispatch to a subcommand anyway.
 */
const SUBCOMMAND_WORDS = new Set([...Object.keys(SUBCOMMANDS), "help", "-h", "--help"]);
const mayNameASubcommand = (args: readonly string[]) => args.some((arg) => SUBCOMMAND_WORDS.has(arg));

function addSubcommands(program: Command): void {
  for (const add of Object.values(SUBCOMMANDS)) add(program);
  // commander offers `help [command]` on its own only to programs without an action; ours creates by default.
  program.helpCommand("help [command]", "show help for a command (help check, help update, ...)");
}

/**
 * `create-middleware updte` would otherwise scaffold (and, without a terminal, install and commit) a package
 * named after the typo. A bare word close to a command, naming nothing on disk, is a usage error instead;
 * `./updte` (or any path with a slash) still creates a package of that name.
 */
function refuseCommandTypo(directory: string | undefined): void {
  if (directory === undefined || /[\\/]/.test(directory) || existsSync(directory)) return;
  const command = closestWord(directory, [...Object.keys(SUBCOMMANDS), "help"]);
  if (command === undefined) return;
  throw new UsageError(
    `"${directory}" is not a command. Did you mean \`create-middleware ${command}\`? ` +
      `To create a package named ${directory}, run \`create-middleware ./${directory}\`.`,
  );
}

/** Help and errors from commander go where ours go (standard-streams.ts), with its width and colour questions answered there. */
function outputFor(stream: () => OutputStream) {
  return {
    write: (text: string) => stream().write(text),
    // commander's own fallback when the width is unknown: 80 columns.
    helpWidth: () => (stream().isTTY ? stream().columns : undefined) ?? 80,
    hasColors: () => {
      const target = stream();
      return isNodeStream(target) && target.isTTY === true && target.hasColors();
    },
  };
}

function buildProgram(args: readonly string[]): Command {
  const out = outputFor(standardOutput);
  const err = outputFor(standardError);
  const program = new Command("create-middleware")
    .configureOutput({
      writeOut: out.write,
      writeErr: err.write,
      getOutHelpWidth: out.helpWidth,
      getErrHelpWidth: err.helpWidth,
      getOutHasColors: out.hasColors,
      getErrHasColors: err.hasColors,
    })
    // Options after a subcommand belong to it: `check --json -t express` must not feed the create flags.
    .enablePositionalOptions()
    .description(`Create a publishable, tested ${targetTitles()} middleware package.`)
    .version(version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show this help")
    .argument("[directory]", "where to create the package; a scoped name like @acme/my-logger creates ./my-logger")
    .option("-t, --target <target>", targetHelp())
    .option("-s, --schema <schema>", `validate options with: ${schemaHelp()}`)
    .option("--starter <name>", starterHelp())
    .option("-n, --name <name>", "npm package name (default: the directory's name)")
    .option("-d, --description <text>", "one-line description for package.json and the README")
    .option("-o, --option <spec>", "an option of the middleware, repeatable: name:type[=default]", collect)
    .option("--repo <url>", "source repository for package.json (default: the git remote, if any)")
    .option("--pm <manager>", "npm | pnpm | yarn | bun (default: the one that launched this, else npm)")
    .option("--install", "install dependencies (default)")
    .option("--no-install", "skip installing dependencies")
    .option("--git", "create a git repository with an initial commit (default)")
    .option("--no-git", "skip git")
    .option("--no-workspace", "inside a monorepo, make a stand-alone package instead of a workspace member")
    .option("--update-workflow", "add .github/workflows/template-update.yml: a pull request when the templates move on (default with --template)")
    .option("--no-update-workflow", "leave the template-update workflow out")
    .option("-y, --yes", "take the default for every question no flag answered")
    .option("--force", "write into a non-empty directory (replaces same-named files; deletes nothing)")
    .option("--dry-run", "write nothing; print the plan")
    .option("--json", "machine-readable result on stdout; messages on stderr")
    .option("--template <source>", "a team template pack: ./folder, ./pack.tgz, npm:@acme/pack@^2, github:acme/pack#v2, https://host/pack.git#ref")
    .option("--var <key=value>", "answer one of the pack's questions, repeatable", collect)
    .option("--vars-file <file>", 'answer the pack\'s questions from a JSON object ({"region": "eu"}); --var wins')
    .option("--answers <file>", "replay a package's .create-middleware.json (flags still win)")
    .option("--offline", "use cached packs only; fetch nothing")
    .addHelpText("after", EXAMPLES)
    .showHelpAfterError("(run create-middleware --help for usage)")
    .exitOverride()
    .action(async (directory: string | undefined, flags: Record<string, unknown>) => {
      refuseCommandTypo(directory);
      const { runCreate } = await import("./commands/create.js");
      await runCreate(directory, flags);
    });

  if (mayNameASubcommand(args)) addSubcommands(program);
  return program;
}

/**
 * A message as it reaches the terminal: control characters but line feeds and tabs written as escapes. Messages
 * quote untrusted text (an answers file, a pack, a package.json); an escape sequence there must not drive the
 * terminal (clear it, set its title, write the clipboard with OSC 52). --json carries it escaped anyway.
 */
const inert = (message: string) =>
  message.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help / version).
    const clean = ["commander.helpDisplayed", "commander.help", "commander.version", "commander.executeSubCommandAsync"];
    if (clean.includes(error.code)) return EXIT.ok;
    failureAsJson("usage", error.message.replace(/^error: /, ""), EXIT.usage);
    return EXIT.usage;
  }
  if (isKnownError(error)) {
    standardError().write(error instanceof CancelledError ? `${inert(error.message)}\n` : `error: ${inert(error.message)}\n`);
    failureAsJson(error instanceof UsageError ? "usage" : error instanceof CancelledError ? "interrupted" : "failed", error.message, error.exitCode);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : String(error);
  standardError().write(`Unexpected error: ${inert(detail ?? "")}\n`);
  failureAsJson("unexpected", error instanceof Error ? error.message : String(error), EXIT.failed);
  return EXIT.failed;
}

/**
 * With --json, stdout carries the failure too (json-output.ts), unless the command's report, which already
 * says what failed, is there. The human message stays on stderr.
 */
function failureAsJson(code: JsonFailureCode, message: string, exitCode: number): void {
  writeJsonFailure({ code, message, exitCode });
}

// A reader that goes away (`create-middleware ... | head -1`, or `2>&1 >/dev/null | true` for stderr) must
// not crash the run, stop it halfway or change its exit code, whoever writes (standard-streams.ts).
guardStandardStreams();

// Every Ctrl-C / SIGTERM exits 130 ("Interrupted."), whatever the run was doing; work that would leave
// something half-done registers its own clean-up (interrupt.ts).
installInterruptHandlers();

buildProgram(process.argv.slice(2))
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.exitCode = exitCodeFor(error);
  });
