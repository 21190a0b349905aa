import type { YunxiaoConnection } from "./schema.js";
import { CENTRAL_WEB_URL } from "./web-url.js";

export const CENTRAL_API_URL = "https://openapi-rdc.aliyuncs.com";

/** What the adapter needs from a connection once the rules between its fields hold. */
export interface FlowSettings {
  edition: "central" | "region";
  baseUrl: string;
  /** Central paths carry `/organizations/{organizationId}`; region paths do not. */
  prefix: string;
  webUrlTemplate?: string;
  stop: "run" | "jobs";
}

export type ResolvedConnection = { ok: true; settings: FlowSettings } | { ok: false; problems: string[] };

/** Checks the rules that join fields (the config schema sees one field at a time) and derives the API prefix. */
export function resolveConnection(connection: YunxiaoConnection): ResolvedConnection {
  const problems: string[] = [];
  const edition = connection.edition;
  if (edition === "central" && !connection.organization_id) {
    problems.push(
      "organization_id is required for edition: central (see the organization admin console's basic information page); " +
        "for a dedicated Yunxiao instance set edition: region",
    );
  }
  if (edition === "region" && connection.organization_id !== undefined) {
    problems.push("organization_id is not used by edition: region (its paths carry no organization); remove it, or set edition: central");
  }
  if (edition === "region" && !connection.url) {
    problems.push("url is required for edition: region: the instance's own domain, e.g. https://devops.example.com");
  }
  if (problems.length > 0) return { ok: false, problems };

  const prefix =
    edition === "central" ? `/oapi/v1/flow/organizations/${encodeURIComponent(connection.organization_id!)}` : "/oapi/v1/flow";
  return {
    ok: true,
    settings: {
      edition,
      baseUrl: (connection.url ?? CENTRAL_API_URL).replace(/\/+$/, ""),
      prefix,
      // The region console's run page is not documented: no guess, the operator sets web_url.
      webUrlTemplate: connection.web_url ?? (edition === "central" ? CENTRAL_WEB_URL : undefined),
      stop: connection.stop,
    },
  };
}

/** Every Flow path the adapter calls, below the edition's prefix. */
export function flowPaths(prefix: string) {
  const pipeline = (pipelineId: string) => `${prefix}/pipelines/${encodeURIComponent(pipelineId)}`;
  const run = (pipelineId: string, runId: string) => `${pipeline(pipelineId)}/runs/${encodeURIComponent(runId)}`;
  return {
    /** CreatePipelineRun (POST). */
    runs: (pipelineId: string) => `${pipeline(pipelineId)}/runs`,
    /** GetPipelineRun (GET) and UpdatePipelineRun, the run-level stop (PUT). */
    run,
    /** StopPipelineJobRun / RetryPipelineJobRun (PUT): note `pipelineRuns`, not `runs`. */
    job: (pipelineId: string, runId: string, jobId: string, action: "stop" | "retry") =>
      `${pipeline(pipelineId)}/pipelineRuns/${encodeURIComponent(runId)}/jobs/${encodeURIComponent(jobId)}/${action}`,
    /** GetPipelineJobRunLog (GET): note `runs/…/job/…`, singular. */
    jobLog: (pipelineId: string, runId: string, jobId: string) => `${run(pipelineId, runId)}/job/${encodeURIComponent(jobId)}/log`,
  };
}
export type FlowPaths = ReturnType<typeof flowPaths>;
