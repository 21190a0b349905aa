import { createHash, createHmac } from "node:crypto";

/**
 * Huawei Cloud's AK/SK request signing ("SDK-HMAC-SHA256"), as described in the API Request Signing
 * Guide ("Constructing a Standard Request", "Creating a To-Be-Signed String", "Calculating the
 * Signature"). Written here because Huawei's own Node signer ships only inside
 * @huaweicloud/huaweicloud-sdk-core, which pulls in axios, lodash, moment and log4js. The unit test
 * holds it to the guide's published example and to signatures made by that SDK's AKSKSigner.
 */
export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

export interface SignableRequest {
  method: string;
  url: URL;
  /** Headers to sign besides `host` and `x-sdk-date` (names are case-insensitive). */
  headers: Record<string, string>;
  /** The exact body text sent; "" for none. */
  body: string;
}

export interface Signature {
  /** `X-Sdk-Date` header value. */
  date: string;
  /** `Authorization` header value. */
  authorization: string;
  canonicalRequest: string;
}

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC. */
export function sdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function sign(request: SignableRequest, credentials: { accessKey: string; secretKey: string }, now: Date): Signature {
  const date = sdkDate(now);
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) headers.set(name.toLowerCase(), value);
  headers.set("host", request.url.host);
  headers.set("x-sdk-date", date);
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url.pathname),
    canonicalQuery(request.url.searchParams),
    names.map((name) => `${name}:${headers.get(name)}\n`).join(""),
    signedHeaders,
    sha256Hex(request.body),
  ].join("\n");
  const stringToSign = [SIGNING_ALGORITHM, date, sha256Hex(canonicalRequest)].join("\n");
  const signature = createHmac("sha256", credentials.secretKey).update(stringToSign).digest("hex");
  return {
    date,
    authorization: `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    canonicalRequest,
  };
}

/** Every path segment URI-encoded, always ending in `/` (the guide: "the URI must end with /" when signing). */
function canonicalUri(pathname: string): string {
  const encoded = pathname
    .split("/")
    .map((segment) => uriEncode(safeDecode(segment)))
    .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

function canonicalQuery(params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value]);
  return [...byName.keys()]
    .sort()
    .flatMap((name) => byName.get(name)!.sort().map((value) => `${uriEncode(name)}=${uriEncode(value)}`))
    .join("&");
}

/** RFC 3986: everything but A–Z a–z 0–9 - _ . ~ is percent-encoded (upper-case hex, UTF-8 bytes). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
