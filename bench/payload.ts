import { pushPayload } from "../test/e2e/fakes/webhook-sender.js";

/** The real push example grown to ~17 KB (more commits with file lists, as a busy push has), with an installation. */
export function benchPushPayload(installationId: number, owner: string, repo: string, sha: string, targetBytes = 17_000): unknown {
  const payload = pushPayload({ installationId, owner, repo, sha });
  const template = payload.commits[0];
  for (let index = 1; JSON.stringify(payload).length < targetBytes && index < 19; index++) {
    payload.commits.push({
      ...template,
      id: `${sha.slice(0, 30)}${String(index).padStart(10, "0")}`,
      message: `Change ${index}: adjust the service configuration and its tests`,
      added: Array.from({ length: 6 }, (_, file) => `services/service-${index}/src/module-${file}/handler.ts`),
      modified: Array.from({ length: 6 }, (_, file) => `services/service-${index}/test/module-${file}/handler.test.ts`),
      removed: [],
    });
  }
  return payload;
}
