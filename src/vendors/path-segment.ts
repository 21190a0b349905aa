import { z } from "zod";

/**
 * Values that go into a vendor URL path become exactly one segment: percent-encoded whole (a `/` is
 * `%2F`), and never empty, `.` or `..`, which a URL parser would resolve into another path.
 */
export function pathSegment(value: string | number): string {
  const text = String(value);
  if (text === "" || text === "." || text === "..") throw new Error(`"${text}" cannot be a URL path segment`);
  return encodeURIComponent(text);
}

/** Pure: the problem with a name meant for a path segment, or undefined. */
export function segmentProblem(value: string): string | undefined {
  if (value === "" || value.split("/").some((part) => part === "" || part === "." || part === "..")) {
    return "must not be empty or contain `.`, `..` or empty path segments";
  }
  return undefined;
}

/**
 * A name from repository config that ends up in a vendor URL path: letters, digits, `_ . -` (and `/`
 * between parts where `nested` allows it), no `.`/`..`/empty part.
 */
export function pathName(what: string, options: { nested?: boolean; max?: number } = {}) {
  const part = "[A-Za-z0-9_][A-Za-z0-9_.-]*";
  const pattern = new RegExp(options.nested ? `^${part}(/${part})*$` : `^${part}$`);
  return z
    .string()
    .max(options.max ?? 255)
    .superRefine((value, ctx) => {
      const problem = segmentProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: `${what} ${problem}` });
      else if (!pattern.test(value)) {
        ctx.addIssue({ code: "custom", message: `${what}: letters, digits, _ . - ${options.nested ? "and / between parts " : ""}only, starting with a letter, digit or _` });
      }
    });
}
