import type { TriggerRequest } from "../types.js";
import type { YunxiaoTarget } from "./schema.js";

/** The inside of CreatePipelineRun's `params`; the API takes it as a JSON string, not an object. */
export interface FlowRunParams {
  runningBranchs?: Record<string, string>;
  runningTags?: Record<string, string>;
  envs: Record<string, string>;
  comment: string;
}

/** The key Flow uses for the repository in `runningBranchs` / `runningTags` and in `sources[].data.repo`. */
export function repositoryUrlOf(req: Pick<TriggerRequest<YunxiaoTarget>, "target" | "repository">): string {
  return req.target.repository_url ?? req.repository.cloneUrl;
}

export function buildRunParams(req: TriggerRequest<YunxiaoTarget>): FlowRunParams {
  const repo = repositoryUrlOf(req);
  // Flow runs a branch or a tag, never a commit: the commit it built is compared after start.
  const source = req.refType === "tag" ? { runningTags: { [repo]: req.ref } } : { runningBranchs: { [repo]: req.ref } };
  return { ...source, envs: { ...req.variables }, comment: req.description };
}

export function buildRunParamsString(req: TriggerRequest<YunxiaoTarget>): string {
  return JSON.stringify(buildRunParams(req));
}
