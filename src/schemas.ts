/**
 * What each option schema adds to a package, as data. Its code lives in templates/schemas/<schema>/.
 */
import type { Schema } from "./answers.js";

export interface SchemaProfile {
  /** Runtime dependencies of the generated package. */
  dependencies: Record<string, string>;
  keywords: string[];
}

export const SCHEMA_PROFILES: Record<Schema, SchemaProfile> = {
  none: { dependencies: {}, keywords: [] },
  zod: { dependencies: { zod: "^4.1.0" }, keywords: ["zod"] },
  valibot: { dependencies: { valibot: "^1.1.0" }, keywords: ["valibot"] },
  typebox: { dependencies: { typebox: "^1.0.0" }, keywords: ["typebox", "json-schema"] },
  joi: { dependencies: { joi: "^18.0.0" }, keywords: ["joi"] },
};
