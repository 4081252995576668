/**
 * The target table: everything the CLI knows about a framework, one entry per target. Every list of targets
 * (the prompt's choices, valid values in messages, --help, the folders of a template pack, the check
 * matrix) is derived from it; the code a target generates lives in templates/<id>/. Adding a target is one
 * entry here and one template folder.
 */
import { UsageError } from "./errors.js";
import type { OptionField } from "./option-fields.js";

export interface Hook {
  name: string;
  /** The TypeScript signature, as the README shows it. */
  signature: string;
  description: string;
  defaultDescription: string;
}

export interface TargetProfile<Id extends string = string> {
  /** The answer, the template folder's name, and what --target accepts. */
  id: Id;
  /** How prose and the prompt name it: "Socket.IO". */
  title: string;
  /** Other spellings --target accepts, lower case. */
  aliases: readonly string[];
  /** The boolean TemplateData.target carries for it (`target.socketIo`): a template-friendly identifier. */
  flag: string;
  /** What one run of the middleware deals with, as prose says it: "request", "connection". */
  handles: string;
  /** Its built-in function-valued options, which are not option fields. */
  hooks: Hook[];
  /** The option fields a package gets when no --option is given. `header` is replaced per package. */
  starterFields: (names: { headerName: string }) => OptionField[];
  /** The framework itself, which the package's users bring. */
  peerDependencies: Record<string, string>;
  /** Peers the middleware can run without (`peerDependenciesMeta` optional): Express's on bare `http`. */
  optionalPeerDependencies: readonly string[];
  /** What the package's tests and example need. */
  devDependencies: Record<string, string>;
  keywords: string[];
}

// A generic identity, so each entry's id stays a literal type and `Target` can be derived from the table.
const defineTarget = <Id extends string>(profile: TargetProfile<Id>): TargetProfile<Id> => profile;

/**
 * Tooling every generated package uses, whatever the target. Versions verified together: Biome is pinned
 * (its releases change what the linter reports), attw and publint check the packed tarball.
 */
export const COMMON_DEV_DEPENDENCIES: Record<string, string> = {
  "@arethetypeswrong/cli": "^0.18.5",
  "@biomejs/biome": "2.6.8",
  "@types/node": "^20.19.0",
  publint: "^0.3.25",
  tsx: "^4.20.0",
  typescript: "~7.0.2",
};

/** In prompt and help order; the first entry is the default. */
const TARGET_TABLE = [
  defineTarget({
    id: "express",
    title: "Express",
    aliases: [],
    flag: "express",
    handles: "request",
    hooks: [
      {
        name: "skip",
        signature: "(req: IncomingMessage, res: ServerResponse) => boolean",
        description: "Return true to pass a request through untouched.",
        defaultDescription: "never skips",
      },
      {
        name: "onRequest",
        signature: "(req: IncomingMessage, res: ServerResponse) => void | Promise<void>",
        description: "Runs for each request after its id is assigned; a thrown error or rejected promise goes to next(err).",
        defaultDescription: "none",
      },
    ],
    starterFields: ({ headerName }) => [
      {
        name: "header",
        kind: "string",
        values: [],
        default: headerName,
        description: "Response header that carries the request id.",
      },
      {
        name: "setHeader",
        kind: "boolean",
        values: [],
        default: true,
        description: "Send the request id back in the response header.",
      },
    ],
    peerDependencies: { express: "^4.21.0 || ^5.0.0" },
    optionalPeerDependencies: ["express"],
    devDependencies: {
      "@types/express": "^5.0.3",
      "@types/supertest": "^6.0.3",
      express: "^5.1.0",
      supertest: "^7.1.4",
    },
    keywords: ["express", "middleware", "connect"],
  }),
  defineTarget({
    id: "socket.io",
    title: "Socket.IO",
    aliases: ["socketio", "sio"],
    flag: "socketIo",
    handles: "connection",
    hooks: [
      {
        name: "verify",
        signature: "(credential: string, socket: Socket) => unknown | Promise<unknown>",
        description:
          "Checks the credential: return a truthy value (stored on socket.data under the factory's name) to accept, a falsy one to refuse; a thrown error or rejected promise refuses with that error.",
        defaultDescription: "accepts any non-empty credential",
      },
    ],
    starterFields: () => [
      {
        name: "authField",
        kind: "string",
        values: [],
        default: "token",
        description: "Key of socket.handshake.auth that holds the credential.",
      },
      {
        name: "required",
        kind: "boolean",
        values: [],
        default: true,
        description: "Refuse connections that send no credential.",
      },
    ],
    peerDependencies: { "socket.io": "^4.8.0" },
    optionalPeerDependencies: [],
    devDependencies: { "socket.io": "^4.8.1", "socket.io-client": "^4.8.1" },
    keywords: ["socket.io", "middleware", "websocket"],
  }),
];

export type Target = (typeof TARGET_TABLE)[number]["id"];

export const TARGETS: readonly Target[] = TARGET_TABLE.map((profile) => profile.id);

export const DEFAULT_TARGET: Target = TARGETS[0] as Target;

export function targetProfile(target: Target): TargetProfile<Target> {
  return TARGET_TABLE.find((profile) => profile.id === target) as TargetProfile<Target>;
}

export function hookNames(target: Target): string[] {
  return targetProfile(target).hooks.map((hook) => hook.name);
}

const ALIASES = TARGET_TABLE.flatMap((profile) => profile.aliases);

/** "express | socket.io (aliases: socketio, sio)": the --help text for --target. */
export function targetHelp(): string {
  return `${TARGETS.join(" | ")}${ALIASES.length > 0 ? ` (aliases: ${ALIASES.join(", ")})` : ""}`;
}

/** A target by id or alias, case-insensitive; a UsageError listing the valid ones otherwise. */
export function parseTarget(value: string): Target {
  const wanted = value.trim().toLowerCase();
  const profile = TARGET_TABLE.find((candidate) => candidate.id === wanted || candidate.aliases.includes(wanted));
  if (!profile) {
    const aliases = ALIASES.length > 0 ? ` (aliases: ${ALIASES.join(", ")})` : "";
    throw new UsageError(`Unknown target "${value}". Valid targets: ${TARGETS.join(", ")}${aliases}.`);
  }
  return profile.id;
}
