import type { RelayContext } from "../runs/relay-context.js";
import type { RunService } from "../runs/run-service.js";
import type { RepositoryRef } from "../vendors/types.js";
import type { Octokit } from "./octokit.js";

export interface Services {
  ctx: RelayContext;
  runs: RunService;
}

/** A stored webhook delivery as the handlers see it. */
export interface IncomingEvent<Payload = any> {
  id: string;
  name: string;
  payload: Payload;
  installationId: number;
  octokit: Octokit;
}

export function repositoryOf(payload: {
  repository: { name: string; full_name: string; clone_url: string; html_url: string; owner: { login: string } };
}): RepositoryRef {
  const r = payload.repository;
  return { owner: r.owner.login, name: r.name, fullName: r.full_name, cloneUrl: r.clone_url, htmlUrl: r.html_url };
}
