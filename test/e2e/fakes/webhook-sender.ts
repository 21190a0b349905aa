import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { request } from "node:http";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{ name: string; examples: any[] }>;

export interface PushFacts {
  installationId: number;
  owner: string;
  repo: string;
  sha: string;
  /** Branch name (refs/heads/<branch>). */
  branch?: string;
  /** Files the push touched; the example's own list when unset. */
  files?: string[];
}

/** The real push example (refs/heads/master, with an installation), adjusted to an installation, repository and sha. */
export function pushPayload(facts: PushFacts): any {
  const group = examples.find((entry) => entry.name === "push")!;
  const payload = structuredClone(group.examples.find((p) => p.ref === "refs/heads/master" && p.installation));
  const branch = facts.branch ?? "master";
  const fullName = `${facts.owner}/${facts.repo}`;
  payload.ref = `refs/heads/${branch}`;
  payload.after = facts.sha;
  payload.installation.id = facts.installationId;
  payload.repository.name = facts.repo;
  payload.repository.full_name = fullName;
  payload.repository.owner.login = facts.owner;
  payload.repository.owner.name = facts.owner;
  payload.repository.default_branch = "master";
  payload.repository.clone_url = `https://github.example/${fullName}.git`;
  payload.head_commit.id = facts.sha;
  payload.commits[0].id = facts.sha;
  if (facts.files) payload.commits[0] = { ...payload.commits[0], added: facts.files, modified: [], removed: [] };
  return payload;
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface Delivery {
  event: string;
  payload: unknown;
  deliveryId?: string;
}

/** POSTs a signed delivery the way GitHub does; resolves with the status and the time to the answer. */
export function sendWebhook(url: string, secret: string, delivery: Delivery): Promise<{ status: number; ms: number; deliveryId: string }> {
  const body = JSON.stringify(delivery.payload);
  const deliveryId = delivery.deliveryId ?? randomUUID();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-github-event": delivery.event,
          "x-github-delivery": deliveryId,
          "x-hub-signature-256": sign(secret, body),
          "user-agent": "GitHub-Hookshot/e2e",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, deliveryId }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
