import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{ name: string; examples: any[] }>;

/** Every payload of @octokit/webhooks-examples with its event name and a label (`push #2`); not copied, do not adjust. */
export function allWebhookExamples(): Array<readonly [label: string, name: string, payload: object]> {
  return examples.flatMap(({ name, examples: payloads }) => payloads.map((payload, index) => [`${name} #${index + 1}`, name, payload as object] as const));
}

/**
 * A real payload from @octokit/webhooks-examples, deep-copied so a test can adjust it.
 * `match` picks among the examples of one event (by action, ref, installation ...).
 */
export function webhookExample(name: string, match: (payload: any) => boolean = () => true): any {
  const group = examples.find((entry) => entry.name === name);
  const found = group?.examples.find(match);
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${name} matching the filter`);
  return structuredClone(found);
}

export const REPO = { owner: "Codertocat", repo: "Hello-World", fullName: "Codertocat/Hello-World" };
export const INSTALLATION_ID = 1;

/** push to refs/heads/master (one commit, installation 1). */
export function pushPayload(overrides: { ref?: string; after?: string; files?: string[]; message?: string } = {}): any {
  const payload = webhookExample("push", (p) => p.ref === "refs/heads/master" && p.installation);
  if (overrides.ref) payload.ref = overrides.ref;
  if (overrides.after) payload.after = overrides.after;
  if (overrides.files) payload.commits = [{ ...payload.commits[0], added: overrides.files, modified: [], removed: [] }];
  if (overrides.message && payload.head_commit) payload.head_commit.message = overrides.message;
  return payload;
}

/** pull_request with the given action (installation 1), PR #2 from `changes` into `master`. */
export function pullRequestPayload(action: string, adjust: (payload: any) => void = () => {}): any {
  const payload = webhookExample("pull_request", (p) => p.action === action && p.installation);
  adjust(payload);
  return payload;
}

/** issue_comment.created, turned into a comment on PR #2 (the examples only comment on issues). */
export function prCommentPayload(body: string, adjust: (payload: any) => void = () => {}): any {
  const payload = webhookExample("issue_comment", (p) => p.action === "created" && p.installation);
  payload.comment.body = body;
  payload.issue.number = 2;
  payload.issue.pull_request = { url: `https://api.github.com/repos/${REPO.fullName}/pulls/2` };
  adjust(payload);
  return payload;
}
