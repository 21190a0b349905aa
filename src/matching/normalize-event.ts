import type { PullRequestEvent, PushEvent } from "./trigger-event.js";

/** GitHub lists at most 20 commits in a push payload; beyond that the file list is incomplete. */
const PUSH_PAYLOAD_COMMIT_LIMIT = 20;

interface PushPayload {
  ref: string;
  after: string;
  deleted: boolean;
  commits: Array<{ added?: string[]; removed?: string[]; modified?: string[] }>;
  head_commit: { message: string } | null;
  pusher: { name: string };
}

interface PullRequestPayload {
  action: string;
  pull_request: {
    number: number;
    state: string;
    draft?: boolean;
    base: { ref: string; repo: { full_name: string } };
    head: { ref: string; sha: string; repo: { full_name: string } | null };
    user: { login: string; type?: string };
    labels?: Array<{ name: string }>;
  };
  sender: { login: string };
}

export function normalizePush(payload: PushPayload): PushEvent {
  const isTag = payload.ref.startsWith("refs/tags/");
  const ref = payload.ref.replace(/^refs\/(heads|tags)\//, "");
  const commits = payload.commits ?? [];
  const knowsFiles = commits.length > 0 && commits.length < PUSH_PAYLOAD_COMMIT_LIMIT;
  return {
    kind: "push",
    ref,
    refType: isTag ? "tag" : "branch",
    sha: payload.after,
    deleted: payload.deleted,
    changedFiles: knowsFiles
      ? [...new Set(commits.flatMap((commit) => [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])]))]
      : undefined,
    headCommitMessage: payload.head_commit?.message,
    pusher: payload.pusher.name,
  };
}

export function normalizePullRequest(payload: PullRequestPayload): PullRequestEvent {
  const pr = payload.pull_request;
  return {
    kind: "pull_request",
    action: payload.action,
    number: pr.number,
    state: pr.state === "closed" ? "closed" : "open",
    draft: pr.draft ?? false,
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    sha: pr.head.sha,
    fromFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
    author: pr.user.login,
    authorIsBot: pr.user.type === "Bot",
    sender: payload.sender.login,
    labels: (pr.labels ?? []).map((label) => label.name),
  };
}
