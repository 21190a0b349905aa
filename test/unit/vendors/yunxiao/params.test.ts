import type { TriggerRequest } from "../../../../src/vendors/types.js";
import { buildRunParamsString, repositoryUrlOf } from "../../../../src/vendors/yunxiao/params.js";
import type { YunxiaoTarget } from "../../../../src/vendors/yunxiao/schema.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const base: TriggerRequest<YunxiaoTarget> = {
  target: { pipeline_id: 123 },
  repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
  sha: SHA,
  ref: "main",
  refType: "branch",
  variables: { DEPLOY_ENV: "staging", RELAY_SHA: SHA },
  description: "GitHub acme/app@6113728 via pipeline-relay",
};

describe("CreatePipelineRun params string", () => {
  it.each<[string, Partial<TriggerRequest<YunxiaoTarget>>, string]>([
    [
      "a branch push runs the branch of the GitHub clone URL",
      {},
      `{"runningBranchs":{"https://github.com/acme/app.git":"main"},"envs":{"DEPLOY_ENV":"staging","RELAY_SHA":"${SHA}"},"comment":"GitHub acme/app@6113728 via pipeline-relay"}`,
    ],
    [
      "a tag push runs the tag",
      { ref: "v1.2.0", refType: "tag" },
      `{"runningTags":{"https://github.com/acme/app.git":"v1.2.0"},"envs":{"DEPLOY_ENV":"staging","RELAY_SHA":"${SHA}"},"comment":"GitHub acme/app@6113728 via pipeline-relay"}`,
    ],
    [
      "a pull request runs its head branch and names the PR",
      {
        ref: "feature/x",
        pullRequest: { number: 7, headRef: "feature/x", baseRef: "main", headSha: SHA },
        variables: { RELAY_PR_NUMBER: "7" },
        description: "GitHub acme/app@6113728 (PR #7) via pipeline-relay",
      },
      `{"runningBranchs":{"https://github.com/acme/app.git":"feature/x"},"envs":{"RELAY_PR_NUMBER":"7"},"comment":"GitHub acme/app@6113728 (PR #7) via pipeline-relay"}`,
    ],
    [
      "repository_url replaces the clone URL as the key",
      { target: { pipeline_id: "123", repository_url: "https://codeup.aliyun.com/5ebb/app.git" } },
      `{"runningBranchs":{"https://codeup.aliyun.com/5ebb/app.git":"main"},"envs":{"DEPLOY_ENV":"staging","RELAY_SHA":"${SHA}"},"comment":"GitHub acme/app@6113728 via pipeline-relay"}`,
    ],
    [
      "quotes and non-ASCII in values stay valid JSON inside the string",
      { variables: { NOTE: 'say "hi" 你好' } },
      `{"runningBranchs":{"https://github.com/acme/app.git":"main"},"envs":{"NOTE":"say \\"hi\\" 你好"},"comment":"GitHub acme/app@6113728 via pipeline-relay"}`,
    ],
  ])("%s", (_name, change, expected) => {
    expect(buildRunParamsString({ ...base, ...change })).toBe(expected);
  });

  it.each([
    [{ pipeline_id: 1 }, "https://github.com/acme/app.git"],
    [{ pipeline_id: 1, repository_url: "git@codeup.aliyun.com:5ebb/app.git" }, "git@codeup.aliyun.com:5ebb/app.git"],
  ])("repository key for %j is %s", (target, url) => {
    expect(repositoryUrlOf({ target, repository: base.repository })).toBe(url);
  });
});
