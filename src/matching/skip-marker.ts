const BRACKET_MARKERS = ["[skip ci]", "[ci skip]", "[no ci]"];
const SKIP_CHECKS_TRAILER = /^skip-checks:\s*true\s*$/im;

/** The skip marker in a head commit message, or undefined. Pure. */
export function findSkipMarker(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const lower = message.toLowerCase();
  const bracket = BRACKET_MARKERS.find((marker) => lower.includes(marker));
  if (bracket) return bracket;
  return SKIP_CHECKS_TRAILER.test(message) ? "skip-checks: true" : undefined;
}
