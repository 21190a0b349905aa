import type { Octokit } from "./octokit.js";

const ALLOWED_ROLES = new Set(["admin", "maintain", "write"]);

/** Write, maintain or admin on the repository, per GitHub's collaborator-permission API. */
export async function canWrite(octokit: Octokit, owner: string, repo: string, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    // `permission` folds maintain into write; `role_name` names custom and maintain roles exactly.
    return ALLOWED_ROLES.has(data.permission) || ALLOWED_ROLES.has(data.role_name);
  } catch (error) {
    // 404: not a collaborator at all.
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
