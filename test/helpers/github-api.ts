import nock from "nock";
import { REPO } from "./webhooks.js";

const REPO_PATH = `/repos/${REPO.owner}/${REPO.repo}`;

export interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  details_url?: string;
  external_id?: string;
  output?: { title: string; summary: string; text?: string };
}

/** Every GitHub request made by the app, recorded in order, for assertions on exact bodies. */
export const githubRequests: Array<{ method: string; path: string; body: any }> = [];

/**
 * Runs a body assertion inside a nock matcher. A failed assertion is kept and fails the test in
 * afterEach (throwing inside nock would only turn into a network error the app might swallow).
 */
export function checked(assertion: ((body: any) => void) | undefined, body: any): true {
  try {
    assertion?.(body);
  } catch (error) {
    matcherFailures.push(error as Error);
  }
  return true;
}
export const matcherFailures: Error[] = [];

/** Fluent nock builder for the GitHub API in domain words. Each call adds one expected request. */
export function githubApi() {
  const scope = nock("https://api.github.com");
  const record = (method: string) => (path: string, body: any) => {
    githubRequests.push({ method, path, body });
    return true;
  };
  const api = {
    scope,
    hasConfig(yamlText: string) {
      scope.get(`${REPO_PATH}/contents/.github%2Fpipelines.yml`).reply(200, yamlText, { "content-type": "text/plain; charset=utf-8" });
      return api;
    },
    /** Neither the repository nor the owner's `.github` repository (Probot's fallback) has the file. */
    hasNoConfig() {
      scope.get(`${REPO_PATH}/contents/.github%2Fpipelines.yml`).reply(404, { message: "Not Found" });
      scope.get(`/repos/${REPO.owner}/.github/contents/.github%2Fpipelines.yml`).reply(404, { message: "Not Found" });
      return api;
    },
    createsCheck(id: number, expect?: (body: CheckRunBody) => void) {
      scope.post(`${REPO_PATH}/check-runs`, (body) => {
        record("POST")("check-runs", body);
        return checked(expect, body);
      }).reply(201, { id });
      return api;
    },
    updatesCheck(id: number, expect?: (body: CheckRunBody) => void) {
      scope.patch(`${REPO_PATH}/check-runs/${id}`, (body) => {
        record("PATCH")(`check-runs/${id}`, body);
        return checked(expect, body);
      }).reply(200, { id });
      return api;
    },
    /** The check run's annotations_count, read before annotations are added to a known check run. */
    holdsAnnotations(id: number, count = 0) {
      scope.get(`${REPO_PATH}/check-runs/${id}`).reply(200, { id, status: "in_progress", output: { annotations_count: count } });
      return api;
    },
    /** The commit's check runs of one name, as the lookup after a lost create lists them. */
    listsChecks(sha: string, checks: Array<{ id: number; externalId: string; status?: string }>) {
      scope
        .get(`/repos/Codertocat/Hello-World/commits/${sha}/check-runs`)
        .query(true)
        .reply(200, { total_count: checks.length, check_runs: checks.map((c) => ({ id: c.id, external_id: c.externalId, status: c.status ?? "queued", name: "pipeline-relay/backend", head_sha: sha })) });
      return api;
    },
    /** An empty list of a commit's check runs of one name: what an event looks up before writing its own check. */
    listsNoChecks(sha?: string) {
      scope
        .get(sha ? `${REPO_PATH}/commits/${sha}/check-runs` : new RegExp(`^${REPO_PATH}/commits/[0-9a-f]{40}/check-runs`))
        .query(true)
        .reply(200, { total_count: 0, check_runs: [] });
      return api;
    },
    refusesChecks() {
      scope.post(`${REPO_PATH}/check-runs`).reply(403, { message: "Resource not accessible by integration" });
      return api;
    },
    setsStatus(sha: string, expect?: (body: any) => void) {
      scope.post(`${REPO_PATH}/statuses/${sha}`, (body) => {
        record("POST")(`statuses/${sha}`, body);
        return checked(expect, body);
      }).reply(201, {});
      return api;
    },
    permission(user: string, permission: "admin" | "write" | "read" | "none", roleName: string = permission) {
      scope.get(`${REPO_PATH}/collaborators/${user}/permission`).reply(200, { permission, role_name: roleName, user: { login: user } });
      return api;
    },
    pullRequest(number: number, head: { sha: string; ref?: string; repo?: string }, baseRef = "master", author = "Codertocat") {
      scope.get(`${REPO_PATH}/pulls/${number}`).reply(200, {
        number,
        state: "open",
        draft: false,
        user: { login: author, type: "User" },
        labels: [],
        head: { sha: head.sha, ref: head.ref ?? "changes", repo: { full_name: head.repo ?? REPO.fullName } },
        base: { ref: baseRef, repo: { full_name: REPO.fullName } },
      });
      return api;
    },
    pullRequestFiles(number: number, files: string[]) {
      scope.get(`${REPO_PATH}/pulls/${number}/files`).query(true).reply(200, files.map((filename) => ({ filename })));
      return api;
    },
    /** The head commit's message, read to look for `[skip ci]` markers on pull requests. */
    headCommit(sha: string, message = "Update the README") {
      scope.get(`${REPO_PATH}/git/commits/${sha}`).reply(200, { sha, message });
      return api;
    },
    reacts(commentId: number, content = "+1") {
      scope.post(`${REPO_PATH}/issues/comments/${commentId}/reactions`, (body) => body.content === content).reply(201, {});
      return api;
    },
    replies(issue: number, expect: (body: string) => void) {
      scope.post(`${REPO_PATH}/issues/${issue}/comments`, (body) => {
        record("POST")(`issues/${issue}/comments`, body);
        return checked(() => expect(body.body), body);
      }).reply(201, { id: 1 });
      return api;
    },
  };
  return api;
}
