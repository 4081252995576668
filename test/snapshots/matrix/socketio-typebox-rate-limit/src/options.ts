/**
 * The serialisable options of check-socketio-typebox-rate-limit: plain data that a configuration file could hold,
 * validated with TypeBox. They are validated and defaulted once, when the middleware is created.
 */
import Type from "typebox";
import { Compile } from "typebox/compile";

/**
 * The settings schema. It is plain JSON Schema (`JSON.stringify(settingsSchema)`), so it can also document
 * and validate a configuration file. Unknown keys are refused.
 */
export const settingsSchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Number({ default: 60, description: "How many connections one key may make per window." }),
    ),
    windowMs: Type.Optional(Type.Number({ default: 60000, description: "The window's length, in milliseconds." })),
    ipv6Subnet: Type.Optional(
      Type.Number({
        default: 56,
        description:
          "The default key groups IPv6 addresses by this prefix length (one client usually holds a /56 or /64); 128 counts each address alone.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** The settings as a user gives them: every one is optional. */
export type CheckSocketioTypeboxRateLimitSettings = Type.Static<typeof settingsSchema>;

/** The settings once defaults are applied. */
export interface CheckSocketioTypeboxRateLimitResolvedSettings extends CheckSocketioTypeboxRateLimitSettings {
  limit: number;
  windowMs: number;
  ipv6Subnet: number;
}

/** The validator, compiled once when the module loads. */
const validator = Compile(settingsSchema);

/** What each setting must be, as error messages say it. Settings are checked in this order. */
const EXPECTED: Record<keyof CheckSocketioTypeboxRateLimitSettings, string> = {
  limit: "a finite number",
  windowMs: "a finite number",
  ipv6Subnet: "a finite number",
};

type SettingName = keyof CheckSocketioTypeboxRateLimitSettings;

const SETTING_NAMES = Object.keys(EXPECTED) as SettingName[];

const PACKAGE_NAME = "check-socketio-typebox-rate-limit";

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
export const INVALID_OPTION_CODE = "ERR_CHECK_SOCKETIO_TYPEBOX_RATE_LIMIT_INVALID_OPTION";

/** An error about the options: a `TypeError` carrying `code`. */
export interface InvalidOptionError extends TypeError {
  code: typeof INVALID_OPTION_CODE;
}

function optionError(message: string): InvalidOptionError {
  return Object.assign(new TypeError(message), { code: INVALID_OPTION_CODE } as const);
}

/** The error for a bad option: `check-socketio-typebox-rate-limit: invalid option "name": a string, received 42`. */
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
): CheckSocketioTypeboxRateLimitResolvedSettings {
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
  if (!validator.Check(settings)) {
    // Errors come in the schema's key order; an error's instancePath is "/<setting>" or "/<setting>/...".
    const name = validator.Errors(settings)[0]?.instancePath.split("/")[1] as SettingName;
    throw invalidOption(name, EXPECTED[name], settings[name]);
  }
  // Fills in the defaults (copies of them) on `settings`, which this function owns.
  return validator.Default(settings) as CheckSocketioTypeboxRateLimitResolvedSettings;
}
