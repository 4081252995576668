/**
 * The serialisable options of check-express-zod-request-id: plain data that a configuration file could hold,
 * validated with Zod. They are validated and defaulted once, when the middleware is created.
 */
import * as z from "zod";

/** The settings schema. Unknown keys are refused. */
export const settingsSchema = z.strictObject({
  /**
   * Response header that carries the request id (and, with trustIncoming, the request header it is read from).
   * @default "X-Request-Id"
   */
  header: z.string().default("X-Request-Id"),
  /**
   * Send the request id back in the response header.
   * @default true
   */
  setHeader: z.boolean().default(true),
  /**
   * Keep the id a client or proxy sent in the header, when it is 1 to 128 plain characters (letters, digits, - _ . : @ = + /); a fresh one otherwise.
   * @default false
   */
  trustIncoming: z.boolean().default(false),
  /**
   * Make the id readable with currentRequestId() from code that has no req, across awaits (Node's AsyncLocalStorage, which costs some CPU per request).
   * @default false
   */
  asyncContext: z.boolean().default(false),
});

/** The settings as a user gives them: every one is optional. */
export type CheckExpressZodRequestIdSettings = z.input<typeof settingsSchema>;

/** The settings once defaults are applied. */
export type CheckExpressZodRequestIdResolvedSettings = z.output<typeof settingsSchema>;

/** What each setting must be, as error messages say it. Settings are checked in this order. */
const EXPECTED: Record<keyof CheckExpressZodRequestIdSettings, string> = {
  header: "a string",
  setHeader: "true or false",
  trustIncoming: "true or false",
  asyncContext: "true or false",
};

type SettingName = keyof CheckExpressZodRequestIdSettings;

const SETTING_NAMES = Object.keys(EXPECTED) as SettingName[];

const PACKAGE_NAME = "check-express-zod-request-id";

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
export const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_ZOD_REQUEST_ID_INVALID_OPTION";

/** An error about the options: a `TypeError` carrying `code`. */
export interface InvalidOptionError extends TypeError {
  code: typeof INVALID_OPTION_CODE;
}

function optionError(message: string): InvalidOptionError {
  return Object.assign(new TypeError(message), { code: INVALID_OPTION_CODE } as const);
}

/** The error for a bad option: `check-express-zod-request-id: invalid option "name": a string, received 42`. */
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
): CheckExpressZodRequestIdResolvedSettings {
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
  const result = settingsSchema.safeParse(settings);
  if (!result.success) {
    // Zod reports issues in the schema's key order: the first is the first invalid setting.
    const name = result.error.issues[0]?.path[0] as SettingName;
    throw invalidOption(name, EXPECTED[name], settings[name]);
  }
  return result.data;
}
