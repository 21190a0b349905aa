/**
 * JSON.parse that keeps integers beyond 2^53 exact by turning them into strings before parsing.
 * GitLab ids are 64-bit: `9007199254740993` would silently become `9007199254740992` as a JS number.
 * Id schemas accept a digit string as well as a number (see `vendorId`), so either form arrives as text.
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** A string literal (skipped whole, so digits inside strings are never touched) or a number literal. */
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

export function quoteUnsafeIntegers(text: string): string {
  return text.replace(STRING_OR_NUMBER, (token) => {
    if (token.startsWith('"') || !/^-?\d+$/.test(token)) return token;
    return Number.isSafeInteger(Number(token)) ? token : `"${token}"`;
  });
}
