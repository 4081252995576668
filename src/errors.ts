/**
 * The few ways a run can end badly, each with the exit code from the CLI contract.
 * The CLI maps them to exit codes in one place (cli.ts); the library throws them.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Something about the invocation is wrong: a flag, a value, a name, a template. Exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = EXIT.usage;
}

/** The pack's engines["create-middleware"] asks for a newer CLI; `update --pull-request` runs that one instead.
 * Here (not in packs/) because the pack loader and the update command are separate files of the build: one class for both. */
export class PackNeedsNewerCliError extends UsageError {
  override name = "PackNeedsNewerCliError";
  constructor(
    message: string,
    readonly minimum: string,
  ) {
    super(message);
  }
}

/** The work itself failed: a write, an install, a check. Exit 1. */
export class FailedError extends Error {
  override name = "FailedError";
  readonly exitCode = EXIT.failed;
}

/** The user stopped us: Ctrl-C, or a prompt cancelled. Exit 130. */
export class CancelledError extends Error {
  override name = "CancelledError";
  readonly exitCode = EXIT.interrupted;
  constructor(message = "Cancelled: nothing was written.") {
    super(message);
  }
}

export type KnownError = UsageError | FailedError | CancelledError;

export function isKnownError(error: unknown): error is KnownError {
  return error instanceof UsageError || error instanceof FailedError || error instanceof CancelledError;
}
