/**
 * The serialisable options of check-socketio-none-blank: plain data that a configuration file could hold.
 * Checked by hand, without a schema library, once, when the middleware is created.
 */

/** The settings as a user gives them: each one is optional. */
export interface CheckSocketioNoneBlankSettings {
  /**
   * Set to false to turn the middleware off: every connection passes through.
   * @default true
   */
  enabled?: boolean;
}

/** The settings once defaults are applied. */
export interface CheckSocketioNoneBlankResolvedSettings extends CheckSocketioNoneBlankSettings {
  enabled: boolean;
}

const PACKAGE_NAME = "check-socketio-none-blank";

/** How an error message shows a value: `42`, `"x"`, `null`, `an array`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    default:
      return "an object";
  }
}

/** The `code` of every error about the options: stable, unlike the message, for programs to test. */
export const INVALID_OPTION_CODE = "ERR_CHECK_SOCKETIO_NONE_BLANK_INVALID_OPTION";

/** An error about the options: a `TypeError` carrying `code`. */
export interface InvalidOptionError extends TypeError {
  code: typeof INVALID_OPTION_CODE;
}

function optionError(message: string): InvalidOptionError {
  return Object.assign(new TypeError(message), { code: INVALID_OPTION_CODE } as const);
}

/** The error for a bad option: `check-socketio-none-blank: invalid option "name": a string, received 42`. */
export function invalidOption(key: string, expected: string, value: unknown): InvalidOptionError {
  return optionError(
    `${PACKAGE_NAME}: invalid option ${JSON.stringify(key)}: ${expected}, received ${describeValue(value)}`,
  );
}

/**
 * Checks the options given to the factory, applies the defaults and returns the settings. Runs once, when
 * the middleware is created. `knownOptionNames` lists every option the factory accepts, including
 * function-valued ones (hooks), which are left to the caller to check. Throws the `invalidOption` error
 * for the first unknown option, else for the first invalid setting. `undefined` means absent.
 */
export function parseSettings(
  input: unknown,
  knownOptionNames: readonly string[],
): CheckSocketioNoneBlankResolvedSettings {
  if (input === undefined) input = {};
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw optionError(`${PACKAGE_NAME}: invalid options: an object, received ${describeValue(input)}`);
  }
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!knownOptionNames.includes(key)) {
      throw invalidOption(key, `a known option (${knownOptionNames.join(", ")})`, options[key]);
    }
  }
  const settings: Record<string, unknown> = {};
  take(options, settings, "enabled", "true or false", (value) => typeof value === "boolean", true);
  // Each setting was checked or defaulted above, in order: the object has the resolved shape.
  return settings as CheckSocketioNoneBlankSettings as CheckSocketioNoneBlankResolvedSettings;
}

/**
 * Copies `options[key]` into `settings` once it passes `check`. A missing option (absent or `undefined`)
 * takes `fallback` when there is one, and stays absent otherwise.
 */
function take(
  options: Record<string, unknown>,
  settings: Record<string, unknown>,
  key: string,
  expected: string,
  check: (value: unknown) => boolean,
  fallback?: unknown,
): void {
  const value = Object.hasOwn(options, key) ? options[key] : undefined;
  if (value === undefined) {
    if (fallback !== undefined) settings[key] = fallback;
    return;
  }
  if (!check(value)) throw invalidOption(key, expected, value);
  settings[key] = value;
}
