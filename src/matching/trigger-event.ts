/** A GitHub event reduced to what matching needs; built by normalize-event.ts. */
export interface PushEvent {
  kind: "push";
  ref: string;
  refType: "branch" | "tag";
  sha: string;
  deleted: boolean;
  /** undefined when GitHub's payload cannot tell (over 20 commits, or a new ref): path filters then let it through. */
  changedFiles?: string[];
  headCommitMessage?: string;
  pusher: string;
}

export interface PullRequestEvent {
  kind: "pull_request";
  action: string;
  number: number;
  state: "open" | "closed";
  draft: boolean;
  baseRef: string;
  headRef: string;
  sha: string;
  /** The head branch lives in another repository. */
  fromFork: boolean;
  author: string;
  /** GitHub Apps such as Dependabot and Renovate open PRs as bots. */
  authorIsBot: boolean;
  /** Who caused this event (the pusher, for `synchronize`). */
  sender: string;
  labels: string[];
  changedFiles?: string[];
}

export type TriggerEvent = PushEvent | PullRequestEvent;
