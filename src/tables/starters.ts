/**
 * The starter table: what a generated middleware does (pass through, tag, log, time, guard, authenticate,
 * limit), one entry per starter. Every list of starters (the prompt's choices, valid values in messages,
 * --help, the README's choice, the check matrix) is derived from it; the code a starter generates lives in
 * templates/starters/<target>/<id>/. Adding a starter is one entry here and one template folder per target.
 *
 * A starter exists for some targets. For each, the entry holds its function-valued options (hooks, which
 * are not option fields), the option fields a package gets when no --option is given, and what its tests
 * need. --option replaces those fields: the starter's code then reads a setting only where a field of the
 * same name, type and default-ness is still declared (`has.<name>` in the template data), and a fixed value
 * otherwise.
 *
 * A team pack may add starters of its own: a folder starters/<target>/<name>/ for a name the table does not
 * have. Such a starter builds on `blank` (PACK_STARTER_BASE): blank's fields and hooks, and blank's files
 * wherever the pack's folder has none.
 */
import { UsageError } from "../errors.js";
import type { OptionField } from "../answers/option-fields.js";
import { TARGETS, type Target } from "./targets.js";

export interface Hook {
  name: string;
  /** The TypeScript signature, as the README shows it; `%T` (here and in `description`) stands for the package's type name prefix. */
  signature: string;
  description: string;
  defaultDescription: string;
  /** What the option must be, as the error message says it. Default "a function". */
  expected?: string;
  /** A valid value, as TypeScript source, for the generated options test. Default `() => undefined`. */
  example?: string;
}

/** What a starter brings for one target. */
export interface StarterTarget {
  /** One line: what the middleware does on this target (prompt, --help, docs). */
  summary: string;
  /** The starter `--yes` takes for this target (one per target). */
  default?: true;
  hooks: Hook[];
  /** The option fields a package gets when no --option is given. `headerName` derives from the package name. */
  fields: (names: { headerName: string }) => OptionField[];
  /** What the package's own tests need beyond the target's. */
  devDependencies?: Record<string, string>;
  keywords?: string[];
}

export interface StarterProfile<Id extends string = string> {
  /** The answer, the template folder's name (templates/starters/<target>/<id>/), and what --starter accepts. */
  id: Id;
  targets: Partial<Record<Target, StarterTarget>>;
}

// A generic identity, so each entry's id stays a literal type and `Starter` can be derived from the table.
const defineStarter = <Id extends string>(profile: StarterProfile<Id>): StarterProfile<Id> => profile;

function field(name: string, kind: OptionField["kind"], value: OptionField["default"], description: string, values: string[] = []): OptionField {
  return { name, kind, values, ...(value === undefined ? {} : { default: value }), description };
}

const enabledField = (unit: string) => field("enabled", "boolean", true, `Set to false to turn the middleware off: every ${unit} passes through.`);

const formatField = field("format", "union", "text", 'Line format: "text" (one readable line) or "json" (one JSON object).', ["text", "json"]);

const logHook: Hook = {
  name: "log",
  signature: "(line: string, entry: %TLogEntry) => void",
  description: "Receives each formatted line and the entry it was made from: point it at your logger (pino, winston ...).",
  defaultDescription: "writes the line to stdout",
};

/** The Express logger's log: a function, or a logger object such as pino's. */
const expressLogHook: Hook = {
  ...logHook,
  signature: "((line: string, entry: %TLogEntry) => void) | { info(entry, line): unknown }",
  description:
    "Where each request goes: a function that receives the line and its entry, or a logger with an info method (a pino logger), which gets the entry and the line.",
  expected: "a function or a logger with an info method",
};

const limitFields = (unit: string) => [
  field("limit", "number", 60, `How many ${unit} one key may make per window.`),
  field("windowMs", "number", 60_000, "The window's length, in milliseconds."),
];

const storeHook: Hook = {
  name: "store",
  signature: "%TStore",
  description:
    "Where the counts are kept: implement its increment(key, windowMs, now) over Redis or a database to share them between processes, or pass a store written for express-rate-limit.",
  defaultDescription: "a MemoryStore, per process",
  expected: "a store with an increment method",
  example: "{ increment: () => ({ count: 1, resetAt: 0 }) }",
};

const clockHook: Hook = {
  name: "now",
  signature: "() => number",
  description: "The clock, in milliseconds since the epoch; tests pass their own.",
  defaultDescription: "Date.now",
};

const keyHook = (parameter: string, unit: string): Hook => ({
  name: "keyGenerator",
  signature: `(${parameter}) => string | Promise<string>`,
  description: `The key ${unit} are counted under: one limit per key. A promise of one is awaited.`,
  defaultDescription: "the client's IP address, an IPv6 one grouped by its ipv6Subnet prefix",
});

const ipv6SubnetField = field(
  "ipv6Subnet",
  "number",
  56,
  "The default key groups IPv6 addresses by this prefix length (one client usually holds a /56 or /64); 128 counts each address alone.",
);

/** How a refusing starter answers: itself by default, or a function of the user's, or `next(err)`. */
const handlerHook = (refusal: string): Hook => ({
  name: "handler",
  signature: `((req, res, next, error: %TError) => void) | "next"`,
  description: `Answers ${refusal}: a function of yours, or "next" to pass the %TError to next(err) and your error handler.`,
  defaultDescription: "answers itself: the status, its headers and a small JSON body",
  expected: "a function or 'next'",
});

const rateLimitKeywords = ["rate-limit", "throttle"];

/** In prompt and help order. */
const STARTER_TABLE = [
  defineStarter({
    id: "blank",
    targets: {
      express: {
        summary: "options wired and validated, a pass-through body for your own code",
        hooks: [],
        fields: () => [enabledField("request")],
      },
      "socket.io": {
        summary: "options wired and validated, a pass-through body for your own code",
        hooks: [],
        fields: () => [enabledField("connection")],
      },
    },
  }),
  defineStarter({
    id: "request-id",
    targets: {
      express: {
        summary: "gives each request an id, on req and in a response header",
        default: true,
        hooks: [
          {
            name: "skip",
            signature: "(req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>",
            description: "Return true (or a promise of true) to pass a request through untouched.",
            defaultDescription: "never skips",
          },
          {
            name: "onRequest",
            signature: "(req: IncomingMessage, res: ServerResponse) => void | Promise<void>",
            description: "Runs for each request after its id is assigned; a thrown error or rejected promise goes to next(err).",
            defaultDescription: "none",
          },
          {
            name: "generator",
            signature: "(req: IncomingMessage) => string",
            description: "Makes a request's id.",
            defaultDescription: "crypto.randomUUID",
          },
        ],
        fields: () => [
          field(
            "header",
            "string",
            "X-Request-Id",
            "Response header that carries the request id (and, with trustIncoming, the request header it is read from).",
          ),
          field("setHeader", "boolean", true, "Send the request id back in the response header."),
          field(
            "trustIncoming",
            "boolean",
            false,
            "Keep the id a client or proxy sent in the header, when it is 1 to 128 plain characters (letters, digits, - _ . : @ = + /); a fresh one otherwise.",
          ),
          // Off by default: Node's AsyncLocalStorage costs CPU on every request (measured against
          // express-request-id by scripts/bench/middleware.mjs --anchors-only).
          field(
            "asyncContext",
            "boolean",
            false,
            "Make the id readable with currentRequestId() from code that has no req, across awaits (Node's AsyncLocalStorage, which costs some CPU per request).",
          ),
        ],
      },
    },
  }),
  defineStarter({
    id: "logger",
    targets: {
      express: {
        summary: "one line per request: time, address, method, URL, status, duration, request id (aborted requests too)",
        hooks: [
          expressLogHook,
          {
            name: "skip",
            signature: "(req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>",
            description: "Return true (or a promise of true) to leave a request out of the log; called once the response is done.",
            defaultDescription: "logs every request",
          },
        ],
        fields: () => [formatField],
        keywords: ["logger", "logging"],
      },
      "socket.io": {
        summary: "one line per connection (id, namespace, address, transport) and per disconnect",
        hooks: [logHook],
        fields: () => [formatField],
        keywords: ["logger", "logging"],
      },
    },
  }),
  defineStarter({
    id: "request-time",
    targets: {
      express: {
        summary: "stamps each request with the time it arrived, and sends the time taken in a header",
        hooks: [clockHook],
        fields: () => [
          field("header", "string", "X-Response-Time", "Response header that carries the time taken, in milliseconds."),
          field("setHeader", "boolean", true, "Send the time taken in the response header."),
        ],
      },
    },
  }),
  defineStarter({
    id: "async-guard",
    targets: {
      express: {
        summary: "your async validate(req) decides; a refusal is answered with a 4xx, a failing check with 500",
        hooks: [
          {
            name: "validate",
            signature: "(req: Request) => boolean | Promise<boolean>",
            description:
              "Checks the request: true lets it through; anything else refuses it with the 4xx status. A throw or a rejection is the check failing: 500.",
            defaultDescription: "refuses every request (fail closed)",
          },
          handlerHook("a refused request (the 4xx, or 500 when validate fails)"),
        ],
        fields: () => [
          field("status", "number", 403, "HTTP status (4xx) of a refused request."),
          field("message", "string", "Forbidden", "The refusal's message, which the client may see."),
        ],
        // The package's own tests run on both majors: their handling of a rejected promise differs.
        devDependencies: { express4: "npm:express@^4.21.2" },
      },
    },
  }),
  defineStarter({
    id: "auth",
    targets: {
      express: {
        summary: "checks a bearer token with your verify, in bounded time; 401 with WWW-Authenticate",
        hooks: [
          {
            name: "verify",
            signature: "(token: string, req: Request) => unknown | Promise<unknown>",
            description:
              'Checks the token: a truthy result (stored on req under the factory\'s name) accepts; a falsy one, a throw or a rejection refuses with 401 invalid_token; a thrown %TError("UNAVAILABLE") answers 503.',
            defaultDescription: "refuses every token (fail closed)",
          },
          handlerHook("a refused request (401, 503)"),
        ],
        fields: () => [
          field("realm", "string", "api", "The realm the WWW-Authenticate header names."),
          field("required", "boolean", true, "Refuse requests that send no token."),
          field("timeout", "number", 5000, "Milliseconds verify may take before the request is refused."),
        ],
        keywords: ["auth", "bearer"],
      },
      "socket.io": {
        summary: "checks the credential in handshake.auth with your verify, in bounded time; refusals carry err.data",
        default: true,
        hooks: [
          {
            name: "verify",
            signature: "(credential: string, socket: S extends Socket) => unknown | Promise<unknown>",
            description:
              'Checks the credential: return a truthy value (stored on socket.data under the factory\'s name) to accept; a falsy one, a throw or a rejection refuses with INVALID_CREDENTIAL; a thrown %TError("UNAVAILABLE") refuses as an outage.',
            defaultDescription: "refuses every credential (fail closed)",
          },
          {
            name: "onError",
            signature: "(error: %TError, socket: Socket) => void",
            description: "Sees every refusal on the server, with what verify threw as error.cause (the client never gets it): for your logs.",
            defaultDescription: "none",
          },
        ],
        fields: () => [
          field("authField", "string", "token", "Key of socket.handshake.auth that holds the credential."),
          field("required", "boolean", true, "Refuse connections that send no credential."),
          field("timeout", "number", 5000, "Milliseconds verify may take before the connection is refused."),
        ],
      },
    },
  }),
  defineStarter({
    id: "rate-limit",
    targets: {
      express: {
        summary: "fixed-window limit per key (IP by default, IPv6 by /56), RateLimit headers (draft 6, 7 or 8), 429 with Retry-After",
        hooks: [
          keyHook("req: Request", "requests"),
          {
            name: "skip",
            signature: "(req: Request, res: Response) => boolean | Promise<boolean>",
            description: "Return true (or a promise of true) to let a request through uncounted.",
            defaultDescription: "counts every request",
          },
          storeHook,
          clockHook,
          handlerHook("a request over the limit (429)"),
        ],
        fields: () => [
          ...limitFields("requests"),
          field("headers", "boolean", true, "Send the IETF RateLimit headers (and RateLimit-Policy)."),
          field(
            "standardHeaders",
            "union",
            "draft-6",
            'Which RateLimit headers: "draft-6" (RateLimit-Limit, -Remaining, -Reset), "draft-7" or "draft-8" (one combined RateLimit header).',
            ["draft-6", "draft-7", "draft-8"],
          ),
          ipv6SubnetField,
        ],
        keywords: rateLimitKeywords,
      },
      "socket.io": {
        summary: "connections per key (IP by default) and window; a refusal's err.data says when to retry",
        hooks: [
          keyHook("socket: Socket", "connections"),
          {
            name: "skip",
            signature: "(socket: Socket) => boolean | Promise<boolean>",
            description: "Return true (or a promise of true) to let a connection through uncounted.",
            defaultDescription: "counts every connection",
          },
          storeHook,
          clockHook,
        ],
        fields: () => [...limitFields("connections"), ipv6SubnetField],
        keywords: rateLimitKeywords,
      },
    },
  }),
];

export type Starter = (typeof STARTER_TABLE)[number]["id"];

export const STARTERS: readonly Starter[] = STARTER_TABLE.map((profile) => profile.id);

/** What a team pack's own starter builds on. */
export const PACK_STARTER_BASE: Starter = "blank";

/** Extra starters per target, from a team pack (see packStarters). */
export type PackStarters = Partial<Record<Target, readonly string[]>>;

export function isBuiltInStarter(name: string): name is Starter {
  return (STARTERS as readonly string[]).includes(name);
}

// A starter's name is a folder name and a --starter value: lower-case words joined by hyphens.
const STARTER_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The starters a team pack adds: its starters/<target>/<name>/ folders whose name the table does not have. */
export function packStarters(packFiles: Iterable<string>): PackStarters {
  const found: Partial<Record<Target, Set<string>>> = {};
  for (const file of packFiles) {
    const [top, target, name, ...rest] = file.split("/");
    if (top !== "starters" || rest.length === 0 || name === undefined || !STARTER_NAME.test(name) || isBuiltInStarter(name)) continue;
    const known = TARGETS.find((candidate) => candidate === target);
    if (known) (found[known] ??= new Set()).add(name);
  }
  return Object.fromEntries(Object.entries(found).map(([target, names]) => [target, [...names].sort()]));
}

export function starterProfile(starter: Starter): StarterProfile<Starter> {
  return STARTER_TABLE.find((profile) => profile.id === starter) as StarterProfile<Starter>;
}

/** The starters that exist for `target`, in table order, then a pack's own (`extra`). */
export function startersFor(target: Target): Starter[];
export function startersFor(target: Target, extra: PackStarters | undefined): string[];
export function startersFor(target: Target, extra?: PackStarters): string[] {
  const builtIn = STARTER_TABLE.filter((profile) => profile.targets[target] !== undefined).map((profile): string => profile.id);
  return [...builtIn, ...(extra?.[target] ?? [])];
}

/** What `--yes` takes for `target`: the starter the table marks as its default. */
export function defaultStarter(target: Target): Starter {
  const profile = STARTER_TABLE.find((candidate) => candidate.targets[target]?.default === true);
  if (!profile) throw new Error(`The starter table has no default for ${target}`);
  return profile.id;
}

/**
 * The starter's facts for one target; `parseStarter` has made sure the starter exists for it. A name the
 * table does not have is a team pack's own starter: blank's facts.
 */
export function starterTarget(starter: string, target: Target): StarterTarget {
  if (!isBuiltInStarter(starter)) {
    const { default: _notDefault, ...base } = starterTarget(PACK_STARTER_BASE, target);
    return { ...base, summary: `a starter of the team pack's own, built on ${PACK_STARTER_BASE}` };
  }
  const entry = starterProfile(starter).targets[target];
  if (!entry) throw new UsageError(notForTarget(starter, target));
  return entry;
}

export function hookNames(target: Target, starter: string): string[] {
  return starterTarget(starter, target).hooks.map((hook) => hook.name);
}

function validFor(target: Target, extra?: PackStarters): string {
  return `Valid starters for ${target}: ${startersFor(target, extra).join(", ")}.`;
}

function notForTarget(starter: string, target: Target, extra?: PackStarters): string {
  return `The starter "${starter}" does not exist for ${target}. ${validFor(target, extra)}`;
}

/**
 * A starter by name, case-insensitive, whatever the target: a built-in one or one of a pack's (`extra`); a
 * UsageError listing `target`'s starters otherwise.
 */
export function parseStarterName(value: string, target: Target, extra?: PackStarters): string {
  const wanted = value.trim().toLowerCase();
  const known = [...STARTERS, ...Object.values(extra ?? {}).flat()];
  if (!known.includes(wanted)) throw new UsageError(`Unknown starter "${value}". ${validFor(target, extra)}`);
  return wanted;
}

/** A starter that exists for `target` (built in, or in the pack: `extra`); a UsageError listing the target's starters otherwise. */
export function parseStarter(value: string, target: Target, extra?: PackStarters): string {
  const starter = parseStarterName(value, target, extra);
  if (!startersFor(target, extra).includes(starter)) throw new UsageError(notForTarget(value, target, extra));
  return starter;
}

/** "blank | request-id | ... (express); blank | logger | auth | rate-limit (socket.io)": the --help text. */
export function starterHelp(): string {
  const perTarget = TARGETS.map((target) => `${startersFor(target).join(" | ")} (${target})`).join("; ");
  return `what the middleware does: ${perTarget}; default: ${TARGETS.map(defaultStarter).join(", ")}`;
}
