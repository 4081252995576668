/**
 * Whether an update changes what the package installs: the dependency fields of package.json before and
 * after. When they change, `update` installs (as create does), or the package's tests would fail on a
 * module that is declared but missing.
 */
import type { FileUpdate } from "./classify.js";

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

function dependenciesOf(contents: Buffer | undefined): string | undefined {
  if (contents === undefined) return undefined;
  try {
    const manifest = JSON.parse(contents.toString("utf8")) as Record<string, unknown>;
    return JSON.stringify(DEPENDENCY_FIELDS.map((field) => manifest[field] ?? null));
  } catch {
    return undefined; // not JSON (conflict markers, a hand edit gone wrong): nothing to install from
  }
}

export type DependencyChange = "none" | "changed" | "conflict";

/** "changed" when the update writes a package.json whose dependencies differ; "conflict" when it leaves markers there. */
export function dependencyChange(files: readonly FileUpdate[]): DependencyChange {
  const manifest = files.find((file) => file.path === "package.json");
  if (!manifest || manifest.contents === undefined || manifest.contents === null) return "none";
  if (manifest.status === "conflict") return "conflict";
  const before = dependenciesOf(manifest.current);
  const after = dependenciesOf(manifest.contents);
  return after !== undefined && before !== after ? "changed" : "none";
}
