/**
 * The serialisable options of check-express-valibot-logger: plain data that a configuration file could hold,
 * validated with Valibot. They are validated and defaulted once, when the middleware is created.
 */
import * as v from "valibot";

/** The settings schema. Unknown keys are refused. */
export const settingsSchema = v.strictObject({
  /**
   * Line format: "text" (one readable line) or "json" (one JSON object).
   * @default "text"
   */
  format: v.optional(v.picklist(["text", "json"]), "text"),
});

/** The settings as a user gives them: every one is optional. */
export type CheckExpressValibotLoggerSettings = v.InferInput<typeof settingsSchema>;

/** The settings once defaults are applied. */
export type CheckExpressValibotLoggerResolvedSettings = v.InferOutput<typeof settingsSchema>;

/** What each setting must be, as error messages say it. Settings are checked in this order. */
const EXPECTED: Record<keyof CheckExpressValibotLoggerSettings, string> = {
  format: 'one of "text", "json"',
};

type SettingName = keyof CheckExpressValibotLoggerSettings;

const SETTING_NAMES = Object.keys(EXPECTED) as SettingName[];

const PACKAGE_NAME = "check-express-valibot-logger";

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
export const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_VALIBOT_LOGGER_INVALID_OPTION";

/** An error about the options: a `TypeError` carrying `code`. */
export interface InvalidOptionError extends TypeError {
  code: typeof INVALID_OPTION_CODE;
}

function optionError(message: string): InvalidOptionError {
  return Object.assign(new TypeError(message), { code: INVALID_OPTION_CODE } as const);
}

/** The error for a bad option: `check-express-valibot-logger: invalid option "name": a string, received 42`. */
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
): CheckExpressValibotLoggerResolvedSettings {
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
  // Valibot checks the entries in the schema's key order and stops at the first invalid setting.
  const result = v.safeParse(settingsSchema, settings, { abortEarly: true });
  if (!result.success) {
    const name = result.issues[0].path?.[0]?.key as SettingName;
    throw invalidOption(name, EXPECTED[name], settings[name]);
  }
  return result.output;
}
