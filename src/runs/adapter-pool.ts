import type { Logger } from "probot";
import type { OperatorConfig } from "../config/operator-config.js";
import { DEFAULT_RETRY, type HttpClientSettings } from "../vendors/http.js";
import type { SecretMasker } from "../secrets.js";
import type { JobEntry, JobReport, RunHandle, VendorAdapter, VendorModule } from "../vendors/types.js";
import type { RelayMetrics } from "../operator/metrics.js";
import { instrumentAdapter } from "../operator/vendor-metrics.js";
import { createVendorDeps } from "./vendor-deps.js";

export interface PooledAdapter {
  vendor: VendorModule<any, any>;
  adapter: VendorAdapter<unknown>;
}

/** One adapter (and one rate limiter) per operator connection, built on first use. */
export class AdapterPool {
  readonly #adapters = new Map<string, PooledAdapter>();

  constructor(
    private readonly operator: OperatorConfig,
    private readonly log: Logger,
    private readonly retry: HttpClientSettings["retry"] = DEFAULT_RETRY,
    private readonly metrics?: RelayMetrics,
  ) {}

  get(connectionName: string): PooledAdapter {
    const existing = this.#adapters.get(connectionName);
    if (existing) return existing;
    const { vendor, deps } = createVendorDeps(this.operator, connectionName, this.log, this.retry);
    const masked = withMaskedFailureDetail(vendor.create(deps) as VendorAdapter<unknown>, deps.masker);
    const pooled = { vendor, adapter: this.metrics ? instrumentAdapter(masked, vendor.id, this.metrics) : masked };
    this.#adapters.set(connectionName, pooled);
    return pooled;
  }
}

/**
 * A failure detail carries job-log lines, which may print a secret: it is masked here, before anything
 * stores it in the run's view, with every secret known at that moment (run-time tokens included).
 */
export function withMaskedFailureDetail<Target>(adapter: VendorAdapter<Target>, masker: SecretMasker): VendorAdapter<Target> {
  const { describeFailure, describeJobs } = adapter;
  return {
    ...adapter,
    ...(describeFailure
      ? {
          async describeFailure(run: RunHandle, target: Target) {
            const detail = await describeFailure.call(adapter, run, target);
            return detail === null ? null : masker.mask(detail);
          },
        }
      : {}),
    ...(describeJobs
      ? {
          async describeJobs(run: RunHandle, target: Target) {
            const report = await describeJobs.call(adapter, run, target);
            return report === null ? null : maskJobReport(report, masker);
          },
        }
      : {}),
  };
}

/** Every text of a job report that came from the vendor (names, errors, log lines) is masked. */
export function maskJobReport(report: JobReport, masker: SecretMasker): JobReport {
  const mask = (text: string | undefined) => (text === undefined ? undefined : masker.mask(text));
  return {
    cannotShow: report.cannotShow.map((line) => masker.mask(line)),
    jobs: report.jobs.map((job) => {
      const masked: JobEntry = { ...job, name: masker.mask(job.name), vendorStatus: masker.mask(job.vendorStatus) };
      for (const key of ["stage", "webUrl", "logTail", "logExcerpt", "logNote", "error"] as const) {
        if (job[key] !== undefined) masked[key] = mask(job[key]);
      }
      return masked;
    }),
  };
}
