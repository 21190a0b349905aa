import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../fixtures/", import.meta.url));

export type GitlabFixture =
  | "pipeline_create" | "pipeline_get.success" | "pipeline_cancel" | "pipeline_retry" | "pipeline_update_metadata.running"
  | "pipelines_list" | "test_report_summary" | "test_report" | "error_401" | "error_400.invalid_ref" | "error_400.validation"
  | "error_403" | "error_404.project";

/** A vendor's documented response body (copied from shared/vendor-examples), parsed fresh for each call. */
export function vendorFixture<T = any>(vendor: string, name: string): T {
  return JSON.parse(readFileSync(`${root}vendors/${vendor}/${name}.json`, "utf8")) as T;
}

export function gitlabFixture<T = any>(name: GitlabFixture): T {
  return vendorFixture<T>("gitlab", name);
}

export function configFixture(name: string): string {
  return readFileSync(`${root}config/${name}.yml`, "utf8");
}
