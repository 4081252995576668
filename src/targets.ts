/**
 * What each target puts in a package, as data: its built-in function options (hooks), its starter option
 * fields, its dependencies and keywords. The templates under templates/<target>/ do the rest.
 */
import type { Target } from "./answers.js";
import type { OptionField } from "./option-fields.js";

export interface Hook {
  name: string;
  /** The TypeScript signature, as the README shows it. */
  signature: string;
  description: string;
  defaultDescription: string;
}

export interface TargetProfile {
  hooks: Hook[];
  /** The option fields a package gets when no --option is given. `header` is replaced per package. */
  starterFields: (names: { headerName: string }) => OptionField[];
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  keywords: string[];
}

/** Tooling every generated package uses, whatever the target. Versions verified together. */
export const COMMON_DEV_DEPENDENCIES: Record<string, string> = {
  "@types/node": "^20.19.0",
  tsx: "^4.20.0",
  typescript: "~7.0.2",
};

export const TARGET_PROFILES: Record<Target, TargetProfile> = {
  express: {
    hooks: [
      {
        name: "skip",
        signature: "(req: Request, res: Response) => boolean",
        description: "Return true to pass a request through untouched.",
        defaultDescription: "never skips",
      },
      {
        name: "onRequest",
        signature: "(req: Request, res: Response) => void | Promise<void>",
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
    devDependencies: {
      "@types/express": "^5.0.3",
      "@types/supertest": "^6.0.3",
      express: "^5.1.0",
      supertest: "^7.1.4",
    },
    keywords: ["express", "middleware", "connect"],
  },
  "socket.io": {
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
    devDependencies: { "socket.io": "^4.8.1", "socket.io-client": "^4.8.1" },
    keywords: ["socket.io", "middleware", "websocket"],
  },
};

export function hookNames(target: Target): string[] {
  return TARGET_PROFILES[target].hooks.map((hook) => hook.name);
}
