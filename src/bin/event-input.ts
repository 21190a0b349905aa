import { z } from "zod";
import { normalizePullRequest, normalizePush } from "../matching/normalize-event.js";
import type { TriggerEvent } from "../matching/trigger-event.js";
import type { RepositoryRef } from "../vendors/types.js";

/** The flags `explain` builds an event from (all strings as parseArgs gives them). */
export interface EventFlags {
  event?: string;
  ref?: string;
  paths?: string;
  message?: string;
  sha?: string;
  repo?: string;
  action?: string;
  base?: string;
  head?: string;
  labels?: string;
  author?: string;
  number?: string;
  draft?: boolean;
  fork?: boolean;
  bot?: boolean;
}

const ZERO_SHA = "0".repeat(40);

/** The parts of a push or pull_request webhook payload matching reads; GitHub sends many more. */
const repositoryPayload = z.looseObject({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/), clone_url: z.string().optional(), html_url: z.string().optional() });
const pushPayload = z.looseObject({
  ref: z.string().min(1),
  after: z.string().default(ZERO_SHA),
  deleted: z.boolean().default(false),
  commits: z.array(z.looseObject({ added: z.array(z.string()).optional(), removed: z.array(z.string()).optional(), modified: z.array(z.string()).optional() })).default([]),
  head_commit: z.looseObject({ message: z.string() }).nullable().default(null),
  pusher: z.looseObject({ name: z.string() }).default({ name: "someone" }),
  repository: repositoryPayload.optional(),
});
const pullRequestPayload = z.looseObject({
  action: z.string(),
  pull_request: z.looseObject({
    number: z.number().int(),
    state: z.string(),
    draft: z.boolean().optional(),
    base: z.looseObject({ ref: z.string(), repo: z.looseObject({ full_name: z.string() }) }),
    head: z.looseObject({ ref: z.string(), sha: z.string(), repo: z.looseObject({ full_name: z.string() }).nullable() }),
    user: z.looseObject({ login: z.string(), type: z.string().optional() }),
    labels: z.array(z.looseObject({ name: z.string() })).optional(),
  }),
  sender: z.looseObject({ login: z.string() }),
  repository: repositoryPayload.optional(),
});

export class EventInputError extends Error {}

export interface ExplainEvent {
  event: TriggerEvent;
  repository: RepositoryRef;
}

/** An event from a webhook payload file (`--payload`); the event name is guessed from its shape unless given. */
export function eventFromPayload(payload: unknown, eventName: string | undefined, flags: EventFlags): ExplainEvent {
  const name = eventName ?? (typeof payload === "object" && payload !== null && "pull_request" in payload ? "pull_request" : "push");
  if (name === "push") {
    const parsed = pushPayload.safeParse(payload);
    if (!parsed.success) throw new EventInputError(`the payload is not a push event: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const event = normalizePush(parsed.data);
    return { event: withPaths(event, flags), repository: repositoryFrom(flags.repo ?? parsed.data.repository?.full_name) };
  }
  if (name === "pull_request") {
    const parsed = pullRequestPayload.safeParse(payload);
    if (!parsed.success) throw new EventInputError(`the payload is not a pull_request event: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const event = normalizePullRequest(parsed.data);
    return { event: withPaths(event, flags), repository: repositoryFrom(flags.repo ?? parsed.data.repository?.full_name) };
  }
  throw new EventInputError(`explain knows push and pull_request events, not "${name}"`);
}

/** An event from flags: `--event push --ref refs/heads/main --paths a,b` or `--event pull_request --base main`. */
export function eventFromFlags(flags: EventFlags): ExplainEvent {
  const repository = repositoryFrom(flags.repo);
  const sha = flags.sha ?? ZERO_SHA;
  if (flags.event === "push") {
    if (!flags.ref) throw new EventInputError("--ref is required for a push (refs/heads/main, refs/tags/v1, or a branch name)");
    const ref = flags.ref.startsWith("refs/") ? flags.ref : `refs/heads/${flags.ref}`;
    const event = normalizePush({ ref, after: sha, deleted: false, commits: [], head_commit: flags.message ? { message: flags.message } : null, pusher: { name: flags.author ?? "someone" } });
    return { event: withPaths(event, flags), repository };
  }
  if (flags.event === "pull_request") {
    const author = flags.author ?? "someone";
    const event: TriggerEvent = {
      kind: "pull_request",
      action: flags.action ?? "opened",
      number: Number(flags.number ?? 1),
      state: flags.action === "closed" ? "closed" : "open",
      draft: flags.draft ?? false,
      baseRef: stripHeads(flags.base ?? flags.ref ?? "main"),
      headRef: stripHeads(flags.head ?? "feature"),
      sha,
      fromFork: flags.fork ?? false,
      author,
      authorIsBot: flags.bot ?? author.endsWith("[bot]"),
      sender: author,
      labels: splitList(flags.labels),
    };
    return { event: withPaths(event, flags), repository };
  }
  throw new EventInputError(flags.event ? `--event must be push or pull_request, not "${flags.event}"` : "--event push|pull_request or --payload file.json is required");
}

function withPaths<T extends TriggerEvent>(event: T, flags: EventFlags): T {
  return flags.paths === undefined ? event : { ...event, changedFiles: splitList(flags.paths) };
}

function splitList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((item) => item.trim()).filter(Boolean);
}

function stripHeads(ref: string): string {
  return ref.replace(/^refs\/heads\//, "");
}

function repositoryFrom(fullName: string | undefined): RepositoryRef {
  const name = fullName ?? "owner/repository";
  if (!/^[^/\s]+\/[^/\s]+$/.test(name)) throw new EventInputError(`--repo must be owner/name, not "${name}"`);
  const [owner, repo] = name.split("/") as [string, string];
  return { owner, name: repo, fullName: name, cloneUrl: `https://github.com/${name}.git`, htmlUrl: `https://github.com/${name}` };
}
