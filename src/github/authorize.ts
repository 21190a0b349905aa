import type { CommandAllowlist } from "../config/repo-config.js";
import { statusOf, type Octokit } from "./octokit.js";

const ALLOWED_ROLES = new Set(["admin", "maintain", "write"]);

/** Write, maintain or admin on the repository, per GitHub's collaborator-permission API. */
export async function canWrite(octokit: Octokit, owner: string, repo: string, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    // `permission` folds maintain into write; `role_name` names custom and maintain roles exactly.
    return ALLOWED_ROLES.has(data.permission) || ALLOWED_ROLES.has(data.role_name);
  } catch (error) {
    if (statusOf(error) === 404) return false; // not a collaborator at all
    throw error;
  }
}

/** Listed by login, or an active member of one of the listed `org/team` teams. */
export async function isListed(octokit: Octokit, allowlist: CommandAllowlist, username: string): Promise<boolean> {
  if (allowlist.users.some((user) => user.toLowerCase() === username.toLowerCase())) return true;
  for (const team of allowlist.teams) {
    const [org, team_slug] = team.split("/") as [string, string];
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug, username });
      if (data.state === "active") return true;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  return false;
}

export interface PermissionRules {
  /** From `.github/pipelines.yml`: replaces "write access" for this command when set. */
  repository?: CommandAllowlist;
  /** From the operator's connections used by the command: each one must also allow the person. */
  connections: Array<{ name: string; allowlist: CommandAllowlist }>;
}

/**
 * The fixed order: the operator's connection allowlists restrict, then the repository's allowlist
 * (or, without one, write access) grants. Returns the refusal in words, or undefined when allowed.
 */
export async function checkPermission(
  octokit: Octokit,
  repository: { owner: string; name: string; fullName: string },
  username: string,
  command: string,
  rules: PermissionRules,
): Promise<string | undefined> {
  for (const { name, allowlist } of rules.connections) {
    if (!(await isListed(octokit, allowlist, username))) {
      return `@${username} is not allowed to run \`/${command}\` on pipelines of the connection \`${name}\` (the operator's allowlist).`;
    }
  }
  if (rules.repository) {
    return (await isListed(octokit, rules.repository, username))
      ? undefined
      : `@${username} is not in the \`commands.${command}\` allowlist of \`.github/pipelines.yml\`.`;
  }
  return (await canWrite(octokit, repository.owner, repository.name, username))
    ? undefined
    : `@${username} only people with write access to ${repository.fullName} can run \`/${command}\`.`;
}
