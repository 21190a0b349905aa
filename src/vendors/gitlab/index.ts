import type { VendorModule } from "../types.js";
import { createGitlabAdapter } from "./adapter.js";
import { gitlabCallbacks } from "./callback.js";
import { gitlabConnection, gitlabTarget, type GitlabConnection, type GitlabTarget } from "./schema.js";

export const gitlab: VendorModule<GitlabConnection, GitlabTarget> = {
  id: "gitlab",
  displayName: "GitLab CI",
  connectionSchema: gitlabConnection,
  secretFields: ["token", "callback_token"],
  targetSchema: gitlabTarget,
  create: createGitlabAdapter,
  callbacks: gitlabCallbacks,
};
