import { parseJsonKeepingBigIntegers, quoteUnsafeIntegers } from "../../../../src/vendors/safe-json.js";

describe("parseJsonKeepingBigIntegers", () => {
  it.each([
    ['{"id":9007199254740993}', { id: "9007199254740993" }],
    ['{"id":18446744073709551615,"x":1}', { id: "18446744073709551615", x: 1 }],
    ['{"id":9007199254740991}', { id: 9007199254740991 }],
    ['[1, -9007199254740993, 2.5, 1e400]', [1, "-9007199254740993", 2.5, Infinity]],
    ['{"text":"id 9007199254740993 stays text","n":3}', { text: "id 9007199254740993 stays text", n: 3 }],
    ['{"escaped":"a \\" 12345678901234567890","id":12345678901234567890}', { escaped: 'a " 12345678901234567890', id: "12345678901234567890" }],
    ["12345678901234567890", "12345678901234567890"],
  ])("%s", (text, value) => {
    expect(parseJsonKeepingBigIntegers(text)).toEqual(value);
  });

  it("leaves safe numbers untouched", () => {
    expect(quoteUnsafeIntegers('{"a":1700000000000}')).toBe('{"a":1700000000000}');
  });
});
