/**
 * Pure: the text of a failed vendor answer for an error message. The vendor's own code and message win;
 * an HTML error page (a proxy's 502, a login page) is reduced to its title, never embedded raw.
 */
export function describeHttpFailureText(status: number, text: string, described: { message?: string; code?: string } | undefined): string {
  const parts = [`HTTP ${status}`];
  if (described?.code) parts.push(described.code);
  parts.push(described?.message || describeBodyExcerpt(text));
  return parts.join(": ");
}

const EXCERPT_LIMIT = 300;

/** One line about a body: an HTML page's title, else the start of the text; "(empty body)" for nothing. */
export function describeBodyExcerpt(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "(empty body)";
  if (looksLikeHtml(trimmed)) {
    const title = htmlTitle(trimmed);
    return title ? `an HTML page titled "${title}"` : "an HTML page without a title";
  }
  const flat = trimmed.replace(/\s+/g, " ");
  return flat.length > EXCERPT_LIMIT ? `${flat.slice(0, EXCERPT_LIMIT)}…` : flat;
}

export function looksLikeHtml(text: string): boolean {
  return /^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|title|\?xml[^>]*>\s*<!doctype\s+html)/i.test(text.trimStart());
}

function htmlTitle(html: string): string | undefined {
  const raw = /<title[^>]*>([\s\S]{0,1000}?)<\/title>/i.exec(html)?.[1] ?? /<h1[^>]*>([\s\S]{0,1000}?)<\/h1>/i.exec(html)?.[1];
  if (raw === undefined) return undefined;
  const title = decodeEntities(raw.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
  if (title === "") return undefined;
  return title.length > 120 ? `${title.slice(0, 120)}…` : title;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " })[name] ?? "");
}
