/**
 * Typed errors, one per audience: each says who can fix the problem.
 * - ConfigError: repository maintainers (shown in the `pipeline-relay/config` check run)
 * - OperatorConfigError: whoever runs the app (stops start-up)
 * - VendorError: a vendor call failed (shown on the pipeline's check run)
 * - CommandError: the person who commented (answered with a reply)
 */

export interface ConfigProblem {
  /** Dotted path into the YAML document, e.g. `pipelines.0.on.push.branches`. */
  path: string;
  problem: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(`${file} is invalid: ${problems.map((p) => `${p.path || "(root)"}: ${p.problem}`).join("; ")}`, options);
    this.name = "ConfigError";
  }
}

export class OperatorConfigError extends Error {
  /** Every problem found (the first is `path`/`expected`); the message has one line per problem. */
  readonly problems: ConfigProblem[];

  constructor(
    readonly file: string,
    readonly path: string,
    readonly expected: string,
    more: ConfigProblem[] = [],
  ) {
    const problems = [{ path, problem: expected }, ...more];
    super(problems.map((p) => `${file}: ${p.path ? `${p.path}: ` : ""}${p.problem}`).join("\n"));
    this.name = "OperatorConfigError";
    this.problems = problems;
  }

  static of(file: string, problems: readonly ConfigProblem[]): OperatorConfigError {
    const [first, ...more] = problems;
    return new OperatorConfigError(file, first?.path ?? "", first?.problem ?? "is invalid", more);
  }
}

export interface VendorErrorDetails {
  vendor: string;
  operation: string;
  /** HTTP status when the vendor answered; undefined for network failures and bad bodies. */
  status?: number;
  /** True when trying again later may succeed (429, 5xx, network). */
  retryable: boolean;
  /** The vendor's own error code, when its body carried one. */
  vendorCode?: string;
  /**
   * True when the request may have taken effect although no success was seen (sent, then a timeout,
   * a 5xx, a reset connection). A create that fails this way is looked up (findRun) before it is sent again.
   */
  ambiguous?: boolean;
  /** The vendor asked us to wait this long (Retry-After on 429/503). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class VendorError extends Error {
  readonly vendor: string;
  readonly operation: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly vendorCode?: string;
  readonly ambiguous: boolean;
  readonly retryAfterMs?: number;

  constructor(reason: string, details: VendorErrorDetails) {
    super(`${details.vendor} ${details.operation} failed: ${reason}`, { cause: details.cause });
    this.name = "VendorError";
    this.vendor = details.vendor;
    this.operation = details.operation;
    this.status = details.status;
    this.retryable = details.retryable;
    this.vendorCode = details.vendorCode;
    this.ambiguous = details.ambiguous ?? false;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Authentication failures need the operator, not the repository maintainers. */
  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** A fenced write found that another worker took the lease over: the newer state wins, this work stops. */
export class LeaseLostError extends Error {
  constructor(what: string) {
    super(`lease lost: ${what} is handled by another worker now`);
    this.name = "LeaseLostError";
  }
}

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
