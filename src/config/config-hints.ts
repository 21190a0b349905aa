import type { z } from "zod";
import type { ConfigProblem } from "../errors.js";

/** Every key any object in `schema` knows, for "did you mean" hints. */
export function knownKeys(schema: z.ZodType): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    const shape = def.shape as Record<string, unknown> | undefined;
    if (shape) for (const [key, child] of Object.entries(shape)) (keys.add(key), visit(child));
    for (const field of ["innerType", "element", "in", "out", "valueType", "left", "right", "schema"]) visit(def[field]);
    if (Array.isArray(def.options)) def.options.forEach(visit);
  };
  visit(schema);
  return keys;
}

/** Pure: the closest known key to a misspelt one, when it is close enough to be a likely typo. */
export function closestKey(unknown: string, known: Iterable<string>): string | undefined {
  const word = unknown.toLowerCase();
  const budget = Math.max(1, Math.floor(word.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    if (Math.abs(key.length - word.length) > budget) continue;
    const distance = editDistance(word, key.toLowerCase());
    if (distance <= budget && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

/** Hints are looked for this many times per file; a file with thousands of unknown keys gets the rest without. */
const HINT_LOOKUPS = 50;

/** Adds "did you mean" to zod's `Unrecognized key` issues; one problem per unknown key. */
export function withKeyHints(issues: readonly z.core.$ZodIssue[], known: Set<string>, formatPath: (path: readonly PropertyKey[]) => string): ConfigProblem[] {
  const hints = new Map<string, string | undefined>();
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code !== "unrecognized_keys") return [{ path: formatPath(issue.path), problem: issue.message }];
    return issue.keys.map((key) => {
      if (!hints.has(key) && hints.size < HINT_LOOKUPS) hints.set(key, closestKey(key, known));
      const suggestion = hints.get(key);
      return { path: formatPath(issue.path), problem: `Unrecognized key: "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ""}` };
    });
  });
}

/** Optimal string alignment distance (Levenshtein plus swapped neighbours: `tiemout` is one step from `timeout`). */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the one before the previous is needed for swaps.
  let before = new Uint16Array(b.length + 1);
  let previous = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** Pure: a YAML syntax error as line, column and what is wrong (the `yaml` package's YAMLParseError, or the error wrapping it). */
export function describeYamlError(error: unknown): ConfigProblem | undefined {
  const parseError = findYamlError(error);
  if (!parseError) return undefined;
  const position = parseError.linePos?.[0];
  const reason = parseError.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  if (!position) return { path: "", problem: `YAML syntax error: ${reason}` };
  return { path: `line ${position.line}, column ${position.col}`, problem: `YAML syntax error: ${reason}` };
}

interface YamlErrorLike {
  name: string;
  message: string;
  linePos?: Array<{ line: number; col: number }>;
}

function findYamlError(error: unknown): YamlErrorLike | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current.name === "YAMLParseError" || current.name === "YAMLWarning" || "linePos" in current) return current as YamlErrorLike;
  }
  return undefined;
}
