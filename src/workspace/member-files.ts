/**
 * A rendered package -> the same package as a workspace member, in memory: no `.github/` of its own (GitHub
 * reads only the repository's; root-files.ts puts the package's CI there), and the root's shared config
 * extended instead of a copy carried: tsconfig (`extends`, keeping only what this package's build needs
 * whatever the root says), Biome (a nested config, `"extends": "//"`), ESLint (the root's flat config, found
 * from the package's folder upward, lints it instead of Biome).
 */
import path from "node:path";
import type { PlannedFile } from "../render/plan.js";
import type { Workspace } from "./detect.js";

const SOURCE = "create-middleware (workspace)";

const text = (value: string) => Buffer.from(value, "utf8");
const json = (value: unknown) => text(`${JSON.stringify(value, null, 2)}\n`);

/** "../../tsconfig.base.json": a root file as the member's folder reaches it. */
function fromMember(member: string, rootFile: string): string {
  return path.posix.join(path.posix.relative(member, "") || ".", rootFile);
}

function memberTsconfig(member: string, rootTsconfig: string): PlannedFile {
  return {
    path: "tsconfig.json",
    contents: json({
      extends: fromMember(member, rootTsconfig),
      // What the package's build and tests rely on, whatever the root's base says; everything else is the root's.
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext", types: ["node"], noEmit: true },
      include: ["src", "test", "example"],
    }),
    source: SOURCE,
  };
}

function withoutBiome(manifest: Record<string, unknown>): Record<string, unknown> {
  const scripts = { ...(manifest.scripts as Record<string, string>) };
  scripts.lint = "eslint .";
  delete scripts.format;
  const devDependencies = { ...(manifest.devDependencies as Record<string, string>) };
  delete devDependencies["@biomejs/biome"];
  return { ...manifest, scripts, devDependencies };
}

/** The package's files as a member at `member` (relative to the root, forward slashes). */
export function memberFiles(files: readonly PlannedFile[], workspace: Workspace, member: string): PlannedFile[] {
  const { shared } = workspace;
  const adapted: PlannedFile[] = [];
  for (const file of files) {
    if (file.path === ".github" || file.path.startsWith(".github/")) continue;
    if (file.path === "tsconfig.json" && shared.tsconfig) {
      adapted.push(memberTsconfig(member, shared.tsconfig));
      continue;
    }
    if (file.path === "biome.jsonc" && (shared.biome || shared.eslint)) {
      // With Biome at the root, a nested config; with ESLint alone, the package lints with it and carries none.
      if (shared.biome) adapted.push({ path: file.path, contents: json({ root: false, extends: "//" }), source: SOURCE });
      continue;
    }
    if (file.path === "package.json" && shared.eslint && !shared.biome) {
      adapted.push({
        path: file.path,
        contents: json(withoutBiome(JSON.parse(file.contents.toString("utf8")) as Record<string, unknown>)),
        source: SOURCE,
      });
      continue;
    }
    adapted.push(file);
  }
  return adapted;
}
