import type { z } from "zod";

/** `stages.0.status: expected string, received undefined; …` — short enough for a check-run title. */
export function formatZodIssues(error: z.ZodError, max = 3): string {
  const shown = error.issues.slice(0, max).map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : "";
  return shown.join("; ") + more;
}
