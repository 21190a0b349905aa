/**
 * Refuses regular expressions whose matching time can explode (catastrophic backtracking), before a
 * repository's pattern ever runs on a log. JavaScript's backtracking engine takes exponential time when one
 * piece of text can be matched in many ways by a repeated group:
 *
 * - a quantified group that itself holds a quantifier: `(a+)+`, `(\w+\s?)*`, `(?:x*y?)+`
 * - a quantified group holding an alternation: `(a|ab)*`, `(\w|\d)+` (write a character class instead)
 * - a back-reference (`\1`, `\k<name>`): no bound can be given for it
 *
 * What remains can still be polynomial (`.*.*x`), which the per-line length cap in log-annotations.ts keeps
 * small. The checker is deliberately conservative: it may refuse a safe pattern, never runs an unsafe one.
 */
export function unsafePatternReason(source: string): string | undefined {
  interface Group {
    quantifierInside: boolean;
    alternationInside: boolean;
  }
  const stack: Group[] = [{ quantifierInside: false, alternationInside: false }];
  let index = 0;

  while (index < source.length) {
    const char = source[index]!;
    if (char === "\\") {
      const next = source[index + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") return "back-references (`\\1`, `\\k<name>`) are not allowed: their matching time has no bound";
      const braced = (next === "u" || next === "p" || next === "P") && source[index + 2] === "{" ? source.indexOf("}", index) : -1;
      index = braced === -1 ? index + 2 : braced + 1;
      index = readQuantifier(source, index, stack);
      continue;
    }
    if (char === "[") {
      index = skipClass(source, index);
      index = readQuantifier(source, index, stack);
      continue;
    }
    if (char === "(") {
      stack.push({ quantifierInside: false, alternationInside: false });
      index += groupPrefixLength(source, index);
      continue;
    }
    if (char === ")") {
      if (stack.length === 1) return "unbalanced `)`";
      const closedGroup = stack.pop()!;
      index += 1;
      const problem = judgeGroupQuantifier(source, index, closedGroup);
      if (problem) return problem;
      // What the group held counts for the group around it, too.
      const parent = stack[stack.length - 1]!;
      parent.quantifierInside ||= closedGroup.quantifierInside;
      index = readQuantifier(source, index, stack);
      continue;
    }
    if (char === "|") {
      stack[stack.length - 1]!.alternationInside = true;
      index += 1;
      continue;
    }
    index += 1;
    index = readQuantifier(source, index, stack);
  }
  if (stack.length > 1) return "unbalanced `(`";
  return undefined;
}

/** `?:`, `?<name>`, `?=`, `?!`, `?<=`, `?<!` after `(`: how many characters the opening takes. */
function groupPrefixLength(source: string, at: number): number {
  if (source[at + 1] !== "?") return 1;
  const rest = source.slice(at + 2);
  if (rest.startsWith("<=") || rest.startsWith("<!")) return 4;
  if (rest.startsWith("<")) {
    const end = source.indexOf(">", at);
    return end === -1 ? source.length - at : end - at + 1;
  }
  return 3;
}

function skipClass(source: string, at: number): number {
  let index = at + 1;
  if (source[index] === "^") index += 1;
  if (source[index] === "]") index += 1;
  while (index < source.length && source[index] !== "]") index += source[index] === "\\" ? 2 : 1;
  return index + 1;
}

/** A quantifier that repeats its atom more than once: `*`, `+`, `{n,}`, `{n,m}` with m > 1. */
function repeatingQuantifierAt(source: string, at: number): { length: number; repeats: boolean } | undefined {
  const char = source[at];
  if (char === "*" || char === "+") return { length: source[at + 1] === "?" ? 2 : 1, repeats: true };
  if (char === "?") return { length: source[at + 1] === "?" ? 2 : 1, repeats: false };
  if (char === "{") {
    const match = /^\{(\d+)(,(\d*))?\}\??/.exec(source.slice(at));
    if (!match) return undefined;
    const max = match[2] === undefined ? Number(match[1]) : match[3] === "" ? Infinity : Number(match[3]);
    return { length: match[0].length, repeats: max > 1 };
  }
  return undefined;
}

function judgeGroupQuantifier(source: string, at: number, group: { quantifierInside: boolean; alternationInside: boolean }): string | undefined {
  const quantifier = repeatingQuantifierAt(source, at);
  if (!quantifier?.repeats) return undefined;
  if (group.quantifierInside) return "a repeated group holds a quantifier (like `(a+)+`): such nested quantifiers can take exponential time; repeat the inner part only";
  if (group.alternationInside) return "a repeated group holds an alternation (like `(a|ab)*`): it can take exponential time; use a character class such as `[ab]*`";
  return undefined;
}

/**
 * Reads a quantifier after an atom (if any) and records it on the enclosing group. Any quantifier counts, `?`
 * too: `(a?b?)+` can match the same text in many ways as well.
 */
function readQuantifier(source: string, at: number, stack: Array<{ quantifierInside: boolean }>): number {
  const quantifier = repeatingQuantifierAt(source, at);
  if (!quantifier) return at;
  stack[stack.length - 1]!.quantifierInside = true;
  return at + quantifier.length;
}
