import type { OutgoingRequest, VendorHttp } from "../http.js";
import { sign } from "./aksk-signer.js";
import { asOperation, vendorError } from "./errors.js";
import { createTokenCache, fetchIamToken, type IamUser } from "./iam-token.js";
import type { CodeartsConnection } from "./schema.js";

export type Credentials =
  | ({ kind: "iam" } & IamUser)
  | { kind: "aksk"; accessKey: string; secretKey: string; projectId?: string };

const IAM_FIELDS = ["iam_user", "iam_password", "iam_domain", "iam_project"] as const;
const REQUIRED_IAM_FIELDS = ["iam_user", "iam_password", "iam_domain"] as const;
const AKSK_FIELDS = ["access_key", "secret_key"] as const;

/**
 * What is wrong with the connection's credential fields, or undefined: exactly one form must be set,
 * completely. (The operator-config schema sees each field alone, so this cross-field rule lives here.)
 */
export function credentialProblem(connection: CodeartsConnection): string | undefined {
  const iam = IAM_FIELDS.filter((field) => connection[field] !== undefined);
  const aksk = AKSK_FIELDS.filter((field) => connection[field] !== undefined);
  if (iam.length > 0 && aksk.length > 0) {
    return `set either the IAM user fields (${iam.join(", ")}) or the AK/SK fields (${aksk.join(", ")}), not both`;
  }
  if (aksk.length > 0) {
    const missing = AKSK_FIELDS.filter((field) => connection[field] === undefined);
    return missing.length > 0 ? `AK/SK credentials need ${missing.join(" and ")}` : undefined;
  }
  if (iam.length > 0) {
    const missing = REQUIRED_IAM_FIELDS.filter((field) => connection[field] === undefined);
    return missing.length > 0 ? `IAM user credentials need ${missing.join(", ")}` : undefined;
  }
  return "no credentials: set iam_user, iam_password and iam_domain, or access_key and secret_key";
}

export function credentialsOf(connection: CodeartsConnection): Credentials | { kind: "invalid"; problem: string } {
  const problem = credentialProblem(connection);
  if (problem) return { kind: "invalid", problem };
  if (connection.access_key !== undefined) {
    return { kind: "aksk", accessKey: connection.access_key, secretKey: connection.secret_key!, projectId: connection.iam_project_id };
  }
  return {
    kind: "iam",
    user: connection.iam_user!,
    password: connection.iam_password!,
    domain: connection.iam_domain!,
    projectId: connection.iam_project_id,
    projectName: connection.iam_project ?? connection.region,
  };
}

/** How every CodeArts request is authenticated, whichever credential form the connection uses. */
export interface CodeartsAuth {
  /** Signs each attempt (AK/SK); a retried attempt gets a fresh date and signature. */
  authenticate?: (request: OutgoingRequest) => void;
  /** Headers one call sends (the IAM token); fails as `operation` when no credential can be had. */
  headers(operation: string): Promise<Record<string, string>>;
  /** After a 401 with these headers: true when a second attempt with new headers can help. */
  renew(used: Record<string, string>): boolean;
  /** Values that must never be shown: the credentials and the live token. */
  secrets(): string[];
}

const TOKEN_HEADER = "x-auth-token";

/** `onSecret` learns every token as soon as IAM issues it, before it is sent anywhere (for masking). */
export function createCodeartsAuth(
  credentials: ReturnType<typeof credentialsOf>,
  iamHttp: () => VendorHttp,
  now: () => number = Date.now,
  onSecret: (secret: string) => void = () => {},
): CodeartsAuth {
  switch (credentials.kind) {
    case "invalid":
      return {
        async headers(operation) {
          throw vendorError(operation, `the connection is misconfigured: ${credentials.problem}`);
        },
        renew: () => false,
        secrets: () => [],
      };
    case "aksk": {
      const { accessKey, secretKey, projectId } = credentials;
      return {
        authenticate({ method, url, headers, body }) {
          if (projectId) headers.set("x-project-id", projectId);
          const signed: Record<string, string> = {};
          for (const name of ["content-type", "x-project-id"]) {
            const value = headers.get(name);
            if (value !== null) signed[name] = value;
          }
          const signature = sign({ method, url, headers: signed, body }, { accessKey, secretKey }, new Date(now()));
          headers.set("x-sdk-date", signature.date);
          headers.set("authorization", signature.authorization);
        },
        headers: async () => ({}),
        renew: () => false,
        secrets: () => [accessKey, secretKey],
      };
    }
    case "iam": {
      const http = iamHttp();
      const tokens = createTokenCache(async () => {
        const grant = await fetchIamToken(http, credentials);
        onSecret(grant.token);
        return grant;
      }, now);
      return {
        async headers(operation) {
          try {
            return { [TOKEN_HEADER]: await tokens.get() };
          } catch (error) {
            throw asOperation(operation, error, "IAM token request");
          }
        },
        renew(used) {
          const token = used[TOKEN_HEADER];
          if (token === undefined) return false;
          tokens.invalidate(token);
          return true;
        },
        secrets: () => [credentials.user, credentials.password, tokens.current()].filter((value): value is string => Boolean(value)),
      };
    }
  }
}
