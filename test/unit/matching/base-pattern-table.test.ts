import { BasePatternTable, EMPTY_PREFIX_HASH, extendPrefixHash, prefixHash } from "../../../src/matching/base-pattern-table.js";

const patternsOf = (table: BasePatternTable, key: string): number[] => {
  const out: number[] = [];
  table.collectPatterns(prefixHash(key, key.length), out);
  return out;
};

describe("prefixHash", () => {
  it("hashes a prefix as extending the hash one character at a time does", () => {
    const text = "services/api/src/main.ts";
    let hash = EMPTY_PREFIX_HASH;
    for (let length = 0; length <= text.length; length++) {
      expect(prefixHash(text, length)).toBe(hash);
      if (length < text.length) hash = extendPrefixHash(hash, text.charCodeAt(length));
    }
  });
});

describe("BasePatternTable", () => {
  it.each([
    ["a base's patterns, in the order added", [["services/api", 0], ["services/web", 1], ["services/api", 2]], "services/api", [0, 2]],
    ["another base", [["services/api", 0], ["services/web", 1], ["services/api", 2]], "services/web", [1]],
    ["a prefix that is no base", [["services/api", 0]], "services", []],
  ])("%s", (_name, added, key, expected) => {
    const table = new BasePatternTable();
    for (const [base, patternId] of added as Array<[string, number]>) table.add(base, patternId);
    expect(patternsOf(table, key as string)).toEqual(expected);
  });

  it("keeps every base findable while it grows", () => {
    const table = new BasePatternTable();
    for (let patternId = 0; patternId < 5000; patternId++) table.add(`services/svc-${patternId % 2500}`, patternId);
    for (let service = 0; service < 2500; service++) expect(patternsOf(table, `services/svc-${service}`)).toEqual([service, service + 2500]);
  });

  it("answers by hash alone: bases that hash alike are both offered, for the caller to confirm", () => {
    // Two bases found (by a search over random names) to share their 32-bit hash.
    const [first, second] = ["unjpymW382", "5Bl2B_rdQ6"];
    expect(prefixHash(first, first.length)).toBe(prefixHash(second, second.length));
    const table = new BasePatternTable();
    table.add(first, 0);
    table.add(second, 1);
    expect(patternsOf(table, second).sort()).toEqual([0, 1]);
  });
});
