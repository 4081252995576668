/**
 * Where a template file lands in the package (docs/templates.md, "File names"): its own module, because both
 * the layering (template-source.ts, which must see `README.md` and `README.md.hbs` as the same file) and the
 * plan (plan.ts) need it.
 */

/** `_github/workflows/ci.yml.hbs` -> `.github/workflows/ci.yml`. */
export function outputPath(templatePath: string): string {
  return templatePath
    .replace(/\.hbs$/, "")
    .split("/")
    .map((segment) => (segment.startsWith("_") ? `.${segment.slice(1)}` : segment))
    .join("/");
}
