// The settings' JSON Schema is part of the package's API: `import { settingsSchema } from "check-express-typebox-request-time"`.
import assert from "node:assert/strict";
import { it } from "node:test";
import { settingsSchema } from "../src/index.js";

it("exports the settings as JSON Schema", () => {
  const schema = JSON.parse(JSON.stringify(settingsSchema)) as {
    type: string;
    properties: Record<string, { default?: unknown }>;
    additionalProperties: boolean;
  };
  assert.equal(schema.type, "object");
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(Object.keys(schema.properties), ["header", "setHeader"]);
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if ("default" in property) defaults[name] = property.default;
  }
  assert.deepEqual(defaults, {
    header: "X-Response-Time",
    setHeader: true,
  });
});
