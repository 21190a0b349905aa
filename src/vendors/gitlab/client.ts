import { withErrorEnvelope, type EnvelopedHttp } from "../envelope.js";
import { pathSegment } from "../path-segment.js";
import type { VendorDeps } from "../types.js";
import { describeGitlabError, gitlabEnvelope } from "./errors.js";
import type { GitlabConnection, GitlabTarget } from "./schema.js";

/** The connection's GitLab REST client (v4, its token header, GitLab's error envelope read first). */
export function createGitlabClient(deps: VendorDeps<GitlabConnection>): { http: EnvelopedHttp; projectPath: (target: GitlabTarget) => string } {
  const { connection } = deps;
  const rawHttp = deps.createHttp({
    baseUrl: `${connection.url.replace(/\/+$/, "")}/api/v4`,
    authenticate: ({ headers }) => {
      if (connection.token_header === "bearer") headers.set("authorization", `Bearer ${connection.token}`);
      else headers.set("private-token", connection.token);
    },
    describeError: describeGitlabError,
  });
  return {
    http: withErrorEnvelope(rawHttp, gitlabEnvelope, (text) => deps.masker.mask(text)),
    projectPath: (target) => `/projects/${pathSegment(target.project)}`,
  };
}
