import type { CheckAnnotation } from "./render-tests.js";

/**
 * What GitHub accepts, in characters. A longer field makes the whole request fail (HTTP 422), so the
 * reader would see nothing at all: every text we write is fitted first, and a cut says so.
 * - check run `output.summary` / `output.text`: maxLength 65535 in GitHub's REST description (checks/runs)
 * - check run `output.title`: no documented maximum; 255 keeps it one readable line and under the annotation
 *   title limit GitHub does enforce (255)
 * - annotations: at most 50 per create/update request; further ones go in more updates
 * - issue comment body: "maximum is 65536 characters" (GitHub's 422 message)
 * - commit status `description`: 140 characters
 */
export const GITHUB_LIMITS = {
  checkTitle: 255,
  checkSummary: 65_535,
  checkText: 65_535,
  annotationsPerRequest: 50,
  annotationTitle: 255,
  annotationMessage: 65_535,
  commentBody: 65_536,
  statusDescription: 140,
} as const;

/** Cuts `text` to at most `max` characters; the cut ends with a line saying how much was left out. */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = (left: number) => `\n\n…(cut here: ${left} more characters did not fit GitHub's limit of ${max})`;
  // The note's own length depends on the number in it: size it for the largest possible number.
  const keep = Math.max(0, max - note(text.length).length);
  const kept = safeSlice(text, keep);
  return kept + note(text.length - kept.length);
}

/** One line of at most `max` characters, ending in "…" when cut. */
export function fitLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${safeSlice(line, max - 1)}…`;
}

export const fitTitle = (title: string) => fitLine(title, GITHUB_LIMITS.checkTitle);
export const fitStatusDescription = (description: string) => fitLine(description, GITHUB_LIMITS.statusDescription);
export const fitComment = (body: string) => fitText(body, GITHUB_LIMITS.commentBody);

export interface FittableView {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

/** The final guard before a check run is written: every field within GitHub's limits. */
export function fitCheckView<View extends FittableView>(view: View): View {
  return {
    ...view,
    title: fitTitle(view.title),
    summary: fitText(view.summary, GITHUB_LIMITS.checkSummary),
    ...(view.text !== undefined ? { text: fitText(view.text, GITHUB_LIMITS.checkText) } : {}),
    ...(view.annotations
      ? {
          annotations: view.annotations.map((annotation) => ({
            ...annotation,
            title: fitLine(annotation.title, GITHUB_LIMITS.annotationTitle),
            message: fitText(annotation.message, GITHUB_LIMITS.annotationMessage),
          })),
        }
      : {}),
  };
}

/** Annotations in requests of at most 50, the first with the create or update, the rest in further updates. */
export function annotationBatches<T>(annotations: readonly T[], size: number = GITHUB_LIMITS.annotationsPerRequest): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches;
}

/**
 * As many of `lines` as fit in `budget` characters (joined by `separator`), then one line saying how many more
 * there are. For lists that can be as long as a repository makes them (config problems, command answers).
 */
export function firstLinesWithin(lines: readonly string[], budget: number, more: (count: number) => string, separator = "\n"): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const cost = line.length + separator.length;
    // Room is kept for the "more" line, sized for the largest count it could say.
    const reserve = index < lines.length - 1 ? more(lines.length).length + separator.length : 0;
    if (used + cost + reserve > budget) {
      kept.push(more(lines.length - index));
      return kept;
    }
    kept.push(line);
    used += cost;
  }
  return kept;
}

/** A slice that never splits a UTF-16 surrogate pair (an emoji cut in half is not valid text). */
function safeSlice(text: string, end: number): string {
  if (end <= 0) return "";
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}
