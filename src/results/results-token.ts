import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh per-run upload token; only its hash is stored. */
export function newResultsToken(): { token: string; hash: string } {
  const token = `prr_${randomBytes(24).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const presented = Buffer.from(hashToken(token), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

export function resultsUrl(publicUrl: string, runId: number): string {
  return `${publicUrl.replace(/\/+$/, "")}/pipeline-relay/runs/${runId}/results`;
}
