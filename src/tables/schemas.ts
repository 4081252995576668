/**
 * The schema table: how a generated package may validate its options, one entry per schema. Every list of
 * schemas (the prompt's choices, valid values in messages, --help, the check matrix) is derived from it; the
 * code each one generates lives in templates/schemas/<id>/. Adding a schema is one entry here and one
 * template folder.
 */
import { UsageError } from "../errors.js";

export interface SchemaProfile<Id extends string = string> {
  /** The answer, the template folder's name (templates/schemas/<id>/), and what --schema accepts. */
  id: Id;
  /** How the prompt, messages and templates (`schema.title`) name it. */
  title: string;
  /** Runtime dependencies of the generated package: the schema library. */
  dependencies: Record<string, string>;
  keywords: string[];
}

// A generic identity, so each entry's id stays a literal type and `Schema` can be derived from the table.
const defineSchema = <Id extends string>(profile: SchemaProfile<Id>): SchemaProfile<Id> => profile;

/** In prompt and help order; the first entry is the default. */
const SCHEMA_TABLE = [
  defineSchema({ id: "none", title: "none (hand-written checks)", dependencies: {}, keywords: [] }),
  defineSchema({ id: "zod", title: "Zod", dependencies: { zod: "^4.1.0" }, keywords: ["zod"] }),
  defineSchema({ id: "valibot", title: "Valibot", dependencies: { valibot: "^1.1.0" }, keywords: ["valibot"] }),
  defineSchema({ id: "typebox", title: "TypeBox", dependencies: { typebox: "^1.0.0" }, keywords: ["typebox", "json-schema"] }),
  defineSchema({ id: "joi", title: "Joi", dependencies: { joi: "^18.0.0" }, keywords: ["joi"] }),
];

export type Schema = (typeof SCHEMA_TABLE)[number]["id"];

export const SCHEMAS: readonly Schema[] = SCHEMA_TABLE.map((profile) => profile.id);

export const DEFAULT_SCHEMA: Schema = SCHEMAS[0] as Schema;

export function schemaProfile(schema: Schema): SchemaProfile<Schema> {
  return SCHEMA_TABLE.find((profile) => profile.id === schema) as SchemaProfile<Schema>;
}

/** "none | zod | valibot | typebox | joi": the --help text for --schema. */
export function schemaHelp(): string {
  return SCHEMAS.join(" | ");
}

/** A schema by id, case-insensitive; a UsageError listing the valid ones otherwise. */
export function parseSchema(value: string): Schema {
  const schema = SCHEMAS.find((candidate) => candidate === value.trim().toLowerCase());
  if (!schema) {
    throw new UsageError(`Unknown schema "${value}". Valid schemas: ${SCHEMAS.join(", ")}.`);
  }
  return schema;
}
