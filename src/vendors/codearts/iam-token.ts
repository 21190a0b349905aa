import type { VendorHttp } from "../http.js";
import { vendorError } from "./errors.js";
import { iamTokenBody } from "./schema.js";

export interface TokenGrant {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface TokenCache {
  /** A token valid for a while yet; callers that ask during a fetch share that one fetch. */
  get(): Promise<string>;
  /** Drops the cached token if it is still this one (a 401 proved it dead); a newer token stays. */
  invalidate(token: string): void;
  /** The cached token, for masking; never for sending. */
  current(): string | undefined;
}

/** Tokens live 24 h; renewing a few minutes early keeps a slow request from carrying an expired one. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

export function createTokenCache(fetchGrant: () => Promise<TokenGrant>, now: () => number = Date.now): TokenCache {
  let cached: TokenGrant | undefined;
  let inFlight: Promise<string> | undefined;
  return {
    get() {
      if (cached && now() < cached.expiresAt - REFRESH_BEFORE_MS) return Promise.resolve(cached.token);
      inFlight ??= fetchGrant()
        .then((grant) => {
          cached = grant;
          return grant.token;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
    current: () => cached?.token,
  };
}

export interface IamUser {
  user: string;
  password: string;
  domain: string;
  /** Scope: the IAM project by id when given, else by name. */
  projectId?: string;
  projectName: string;
}

/** `POST /v3/auth/tokens` with the password method; the token is the `X-Subject-Token` response header. */
export async function fetchIamToken(http: VendorHttp, iam: IamUser): Promise<TokenGrant> {
  const response = await http.requestWithHeaders("iamToken", {
    method: "POST",
    path: "/v3/auth/tokens",
    // The service catalog makes the body large and is not needed.
    query: { nocatalog: "true" },
    json: {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: iam.user, password: iam.password, domain: { name: iam.domain } } },
        },
        scope: { project: iam.projectId ? { id: iam.projectId } : { name: iam.projectName } },
      },
    },
    schema: iamTokenBody,
  });
  const token = response.headers.get("x-subject-token");
  if (!token) {
    throw vendorError("iamToken", `IAM answered HTTP ${response.status} without an X-Subject-Token header`, { status: response.status });
  }
  return { token, expiresAt: Date.parse(response.body.token.expires_at) };
}
