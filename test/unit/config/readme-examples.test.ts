import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { getRepoConfigSchema } from "../../../src/config/repo-config.js";
import { parseOperatorConfig } from "../../../src/config/operator-config.js";

/** The README is the user's manual: its configuration examples must be valid configuration. */
const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe("README configuration examples", () => {
  const env = new Proxy({}, { get: () => "a-secret-value" }) as NodeJS.ProcessEnv;
  const connectionBlocks = yamlBlocks.filter((text) => text.startsWith("connections:"));

  it("has an operator config example for every vendor", () => {
    const vendors = connectionBlocks.flatMap((text) => Object.values(parseYaml(text).connections as Record<string, { vendor: string }>).map((c) => c.vendor));
    expect(new Set(vendors)).toEqual(new Set(["gitlab", "zadig", "yunxiao", "codearts"]));
  });

  it.each(connectionBlocks.map((text, i) => [i, text]))("operator config example %i is valid", (_i, text) => {
    expect(() => parseOperatorConfig(parseYaml(text as string), "README", env)).not.toThrow();
  });

  it.each(yamlBlocks.filter((text) => /^(report:|pipelines:)/m.test(text) && !text.startsWith("#")).map((text, i) => [i, text]))(
    "repository config example %i is valid",
    (_i, text) => {
      const result = getRepoConfigSchema().safeParse(parseYaml(text as string));
      expect(result.success ? [] : result.error.issues).toEqual([]);
    },
  );
});

describe("vendor documentation examples", () => {
  const docs = ["zadig", "yunxiao", "codearts"].map((vendor) => {
    const text = readFileSync(fileURLToPath(new URL(`../../../docs/vendors/${vendor}.md`, import.meta.url)), "utf8");
    return { vendor, blocks: [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!) };
  });
  const env = new Proxy({}, { get: () => "a-secret-value" }) as NodeJS.ProcessEnv;
  const cases = docs.flatMap(({ vendor, blocks }) =>
    blocks.filter((text) => /^(connections|pipelines):/.test(text)).map((text, i) => [vendor, i, text] as const),
  );

  it("finds connection and pipeline examples for every vendor", () => {
    expect(new Set(cases.map(([vendor]) => vendor))).toEqual(new Set(["zadig", "yunxiao", "codearts"]));
  });

  it.each(cases)("%s example %i is valid configuration", (_vendor, _i, text) => {
    const document = parseYaml(text);
    if (text.startsWith("connections:")) {
      expect(() => parseOperatorConfig(document, "docs", env)).not.toThrow();
    } else {
      const result = getRepoConfigSchema().safeParse(document);
      expect(result.success ? [] : result.error.issues).toEqual([]);
    }
  });
});
