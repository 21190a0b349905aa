import { readFileSync } from "node:fs";
import { forEachProperty, renderSchemaFile, repoConfigJsonSchema, SCHEMA_FILE, VENDOR_FIELD_DESCRIPTIONS, VENDOR_NATIVE_SUBTREES } from "../../../src/config/json-schema.js";

describe("JSON Schema of .github/pipelines.yml", () => {
  it(`is current in ${SCHEMA_FILE} (regenerate with \`npm run schema\`)`, () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(renderSchemaFile());
  });

  it("describes every field, except inside a vendor's own request body", () => {
    const missing: string[] = [];
    const schema = repoConfigJsonSchema();
    forEachProperty(schema, "", (path, node) => {
      const native = VENDOR_NATIVE_SUBTREES.some((subtree) => path.startsWith(`pipelines[].${subtree}.`));
      if (!native && typeof node.description !== "string") missing.push(path);
    });
    expect(missing).toEqual([]);
  });

  it("uses every vendor field description (none is left over from a renamed field)", () => {
    const seen = new Set<string>();
    forEachProperty(repoConfigJsonSchema(), "", (path) => seen.add(path.replace(/^pipelines\[\]\./, "")));
    expect(Object.keys(VENDOR_FIELD_DESCRIPTIONS).filter((path) => !seen.has(path))).toEqual([]);
  });

  it("describes what a person writes: one glob or a list, variables as text, numbers or booleans", () => {
    const pipeline = (repoConfigJsonSchema().properties as any).pipelines.items;
    expect(pipeline.properties.on.properties.push.properties.branches.anyOf.map((s: { type: string }) => s.type)).toEqual(["string", "array"]);
    expect(pipeline.properties.variables.additionalProperties.type).toEqual(["string", "number", "boolean"]);
    expect(pipeline.required).toEqual(["name", "connection", "on"]);
    expect(pipeline.additionalProperties).toBe(false);
  });
});
