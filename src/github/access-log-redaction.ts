/**
 * Probot's access log (pino-http) binds every request's headers to its log lines when the request arrives, so
 * credential headers must be redacted by the logger itself: bearer tokens (results uploads, runs page, metrics),
 * cookies and GitLab callback secrets. pino applies `redact` to child bindings too.
 */
export const CREDENTIAL_HEADER_REDACTION = {
  paths: ["authorization", "proxy-authorization", "cookie", "x-gitlab-token"].map((header) => `req.headers["${header}"]`),
  censor: "[redacted]",
};
