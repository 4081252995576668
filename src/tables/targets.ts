/**
 * The target table: everything the CLI knows about a framework, one entry per target. Every list of targets
 * (the prompt's choices, valid values in messages, --help, the folders of a template pack, the check
 * matrix) is derived from it; the code a target shares between its starters lives in templates/<id>/, what
 * each starter does (its code, hooks and default option fields) in starters.ts and
 * templates/starters/<id>/. Adding a target is one entry here, one template folder, and its starters.
 */
import { UsageError } from "../errors.js";
import { NODE_TYPES_RANGE } from "./node-lines.js";

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
 * Tooling every generated package installs, whatever the target: what building and testing need. Versions
 * verified together (TypeScript 7, the native compiler; tsx runs the tests and the example).
 */
export const COMMON_DEV_DEPENDENCIES: Record<string, string> = {
  "@types/node": NODE_TYPES_RANGE,
  tsx: "^4.20.0",
  typescript: "~7.0.2",
};

/**
 * The heavy checks (Biome 97 MB, Are the Types Wrong? 23 MB installed) are not devDependencies: the package's
 * scripts run these exact versions through `npx`, so CI and whoever runs `lint` fetch them once into npm's
 * cache, and a contributor's install stays lean. Pinned: a Biome release changes what the linter reports.
 */
export const CHECK_TOOLS = {
  biome: "@biomejs/biome@2.6.9",
  publint: "publint@0.3.25",
  attw: "@arethetypeswrong/cli@0.18.5",
} as const;

/** In prompt and help order; the first entry is the default. */
const TARGET_TABLE = [
  defineTarget({
    id: "express",
    title: "Express",
    aliases: [],
    flag: "express",
    handles: "request",
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
