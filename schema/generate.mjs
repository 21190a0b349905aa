#!/usr/bin/env node
// Writes schema/pipelines.schema.json from the zod schema (run `npm run schema`, which builds first).
// test/unit/config/json-schema.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderSchemaFile, SCHEMA_FILE } from "../dist/config/json-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
writeFileSync(join(root, SCHEMA_FILE), renderSchemaFile());
console.log(`wrote ${SCHEMA_FILE}`);
