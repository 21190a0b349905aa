import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Probot's `addHandler` handler: returns true when it answered, false to let the next handler try. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * Compares a presented token with the configured one in constant time: both are hashed first, so neither
 * the length nor a common prefix shows in the timing.
 */
export function tokenEquals(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
}

/** The value of one cookie, or undefined. */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? "/", "http://relay.invalid");
}

export function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store", ...headers });
  res.end(body);
  return true;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): true {
  return send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}
