import type { z } from "zod";
import type { ConfigProblem } from "./errors.js";

/** Every issue as `{ path, problem }`, paths written `pipelines[0].on.push` as a person would. */
export function zodProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), problem: issue.message }));
}

/** `stages[0].status: expected string, received undefined; …` — short enough for a check-run title. */
export function formatZodIssues(error: z.ZodError, max = 3): string {
  const problems = zodProblems(error);
  const shown = problems.slice(0, max).map((p) => `${p.path || "(body)"}: ${p.problem}`);
  const more = problems.length > max ? `; and ${problems.length - max} more` : "";
  return shown.join("; ") + more;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}
