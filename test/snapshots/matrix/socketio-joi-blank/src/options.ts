/**
 * The serialisable options of check-socketio-joi-blank: plain data that a configuration file could hold,
 * validated with Joi. They are validated and defaulted once, when the middleware is created.
 */
import Joi from "joi";

// Joi does not infer TypeScript types from a schema: these two are written by hand, beside the schema.
// Keep them in step with it.

/** The settings as a user gives them: every one is optional. */
export interface CheckSocketioJoiBlankSettings {
  /**
   * Set to false to turn the middleware off: every connection passes through.
   * @default true
   */
  enabled?: boolean;
}

/** The settings once defaults are applied. */
export interface CheckSocketioJoiBlankResolvedSettings extends CheckSocketioJoiBlankSettings {
  enabled: boolean;
}

type Resolved = CheckSocketioJoiBlankResolvedSettings;

/**
 * The settings schema. Unknown keys are refused, and values are never converted: `"10"` is not a number,
 * `"true"` is not a boolean.
 */
export const settingsSchema = Joi.object<Resolved>({
  enabled: Joi.boolean().default(true),
})
  .unknown(false)
  .prefs({ convert: false, abortEarly: true });

/** What each setting must be, as error messages say it. Settings are checked in this order. */
const EXPECTED: Record<keyof CheckSocketioJoiBlankSettings, string> = {
  enabled: "true or false",
};

type SettingName = keyof CheckSocketioJoiBlankSettings;

const SETTING_NAMES = Object.keys(EXPECTED) as SettingName[];

const PACKAGE_NAME = "check-socketio-joi-blank";

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
export const INVALID_OPTION_CODE = "ERR_CHECK_SOCKETIO_JOI_BLANK_INVALID_OPTION";

/** An error about the options: a `TypeError` carrying `code`. */
export interface InvalidOptionError extends TypeError {
  code: typeof INVALID_OPTION_CODE;
}

function optionError(message: string): InvalidOptionError {
  return Object.assign(new TypeError(message), { code: INVALID_OPTION_CODE } as const);
}

/** The error for a bad option: `check-socketio-joi-blank: invalid option "name": a string, received 42`. */
export function invalidOption(key: string, expected: string, value: unknown): InvalidOptionError {
  return optionError(
    `${PACKAGE_NAME}: invalid option ${JSON.stringify(key)}: ${expected}, received ${describeValue(value)}`,
  );
}

/**
 * Checks the options given to the factory, applies the defaults and returns the settings. Runs once, when
 * the middleware is created. `knownOptionNames` lists every option the factory accepts, including
 * function-valued ones (hooks), which are left to the caller to check. Throws the `invalidOption` error
 * for the first unknown option, else for the first invalid setting.
 */
export function parseSettings(
  input: unknown,
  knownOptionNames: readonly string[],
): CheckSocketioJoiBlankResolvedSettings {
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
  // The schema sees only the settings that were given: hooks are not settings, and undefined means absent.
  const settings: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    if (Object.hasOwn(options, name) && options[name] !== undefined) settings[name] = options[name];
  }
  // Joi checks the keys in the schema's order and stops at the first invalid setting.
  const { error, value } = settingsSchema.validate(settings);
  if (error) {
    const name = error.details[0]?.path[0] as SettingName;
    throw invalidOption(name, EXPECTED[name], settings[name]);
  }
  return value;
}
