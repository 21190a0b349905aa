import { CALLBACK_TOKEN_HEADERS } from "../callbacks/callback-settings.js";

/**
 * Probot's access log (pino-http) binds every request's headers to its log lines when the request arrives, so
 * credential headers must be redacted by the logger itself: bearer tokens (results uploads, runs page, metrics),
 * cookies and vendor callback secrets. pino applies `redact` to child bindings too.
 */
export const CREDENTIAL_HEADER_REDACTION = {
  paths: ["authorization", "proxy-authorization", "cookie", ...CALLBACK_TOKEN_HEADERS].map((header) => `req.headers["${header}"]`),
  censor: "[redacted]",
};
