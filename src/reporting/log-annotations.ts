import type { CheckAnnotation } from "./render-tests.js";
import { unsafePatternReason } from "./pattern-safety.js";

/** One `annotations:` entry of a pipeline, as validated by the repository config. */
export interface AnnotationPatternConfig {
  /** A JavaScript regular expression with named groups `file`, `line`, `message` (and optional `title`, `level`). */
  pattern: string;
  /** Level when the pattern has no `level` group (or it says something else): default `failure`. */
  level?: AnnotationLevel;
  /** Title when the pattern has no `title` group. */
  title?: string;
  ignore_case?: boolean;
}

export type AnnotationLevel = CheckAnnotation["annotation_level"];

/** Only this much of each log line is matched: it bounds the polynomial cost the safety checker lets through. */
export const MAX_LINE_CHARS = 1_000;
/** Log lines looked at per check, over all failed jobs and patterns. */
export const MAX_MATCHED_LINES = 50_000;
/** Wall-clock budget for all matching of one check. */
export const MATCH_BUDGET_MS = 250;
/** Annotations a check gets from logs at most (GitHub takes 50 per request; each 50 is one more write). */
export const MAX_LOG_ANNOTATIONS = 150;
export const MAX_PATTERNS = 10;
export const MAX_PATTERN_CHARS = 500;

const REQUIRED_GROUPS = ["file", "line", "message"] as const;

/** Why a pattern cannot be used, or undefined: compiles it, checks its groups and its backtracking shape. */
export function patternProblem(config: AnnotationPatternConfig): string | undefined {
  if (config.pattern.length > MAX_PATTERN_CHARS) return `longer than ${MAX_PATTERN_CHARS} characters`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(config.pattern, config.ignore_case ? "i" : "");
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
  const missing = REQUIRED_GROUPS.filter((group) => !namedGroups(compiled).includes(group));
  if (missing.length > 0) return `needs the named group${missing.length > 1 ? "s" : ""} ${missing.map((g) => `(?<${g}>…)`).join(", ")}`;
  return unsafePatternReason(config.pattern);
}

function namedGroups(compiled: RegExp): string[] {
  // JavaScript lists no regex's group names; they are read from its (already valid) source.
  return [...compiled.source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((match) => match[1]!);
}

export interface LogToMatch {
  /** The job, for the annotation title when the pattern gives none. */
  jobName: string;
  text: string;
}

export interface LogAnnotationResult {
  annotations: CheckAnnotation[];
  /** Matches beyond MAX_LOG_ANNOTATIONS (counted until the budget ran out). */
  dropped: number;
  /** Set when matching stopped early, for the summary. */
  stoppedEarly?: string;
}

/**
 * Pure (given the clock): log lines matching a pipeline's patterns become annotations, in log order, without
 * duplicates, at most MAX_LOG_ANNOTATIONS. Patterns were checked at config time; one that fails the check
 * now (an old stored request) is skipped.
 */
export function annotationsFromLogs(
  logs: readonly LogToMatch[],
  patterns: readonly AnnotationPatternConfig[],
  now: () => number = Date.now,
): LogAnnotationResult {
  const compiled = patterns
    .filter((config) => patternProblem(config) === undefined)
    .slice(0, MAX_PATTERNS)
    .map((config) => ({ config, regex: new RegExp(config.pattern, config.ignore_case ? "i" : "") }));
  const result: LogAnnotationResult = { annotations: [], dropped: 0 };
  if (compiled.length === 0) return result;
  const seen = new Set<string>();
  const deadline = now() + MATCH_BUDGET_MS;
  let linesSeen = 0;
  for (const log of logs) {
    for (const rawLine of log.text.split(/\r?\n/)) {
      if (linesSeen >= MAX_MATCHED_LINES) return { ...result, stoppedEarly: `Log matching stopped after ${MAX_MATCHED_LINES} lines.` };
      if (linesSeen % 256 === 0 && now() > deadline) return { ...result, stoppedEarly: `Log matching stopped after ${MATCH_BUDGET_MS} ms (${linesSeen} lines).` };
      linesSeen++;
      const line = rawLine.slice(0, MAX_LINE_CHARS);
      for (const { config, regex } of compiled) {
        const annotation = annotationOf(regex.exec(line)?.groups, config, log.jobName);
        if (!annotation) continue;
        const key = `${annotation.path}:${annotation.start_line}:${annotation.message}`;
        if (seen.has(key)) break;
        seen.add(key);
        if (result.annotations.length < MAX_LOG_ANNOTATIONS) result.annotations.push(annotation);
        else result.dropped++;
        break;
      }
    }
  }
  return result;
}

function annotationOf(groups: Record<string, string | undefined> | undefined, config: AnnotationPatternConfig, jobName: string): CheckAnnotation | undefined {
  if (!groups) return undefined;
  const path = (groups.file ?? "").trim().replace(/^\.\//, "").replace(/\\/g, "/");
  const line = Number(groups.line);
  const message = (groups.message ?? "").trim();
  if (path === "" || !Number.isInteger(line) || line < 1 || message === "") return undefined;
  return {
    path,
    start_line: line,
    end_line: line,
    annotation_level: levelOf(groups.level, config.level),
    title: groups.title?.trim() || config.title || `From the log of ${jobName}`,
    message,
  };
}

const LEVEL_WORDS: Record<string, AnnotationLevel> = {
  error: "failure",
  err: "failure",
  fatal: "failure",
  failure: "failure",
  failed: "failure",
  warning: "warning",
  warn: "warning",
  notice: "notice",
  note: "notice",
  info: "notice",
};

function levelOf(word: string | undefined, fallback: AnnotationLevel = "failure"): AnnotationLevel {
  return (word && LEVEL_WORDS[word.trim().toLowerCase()]) || fallback;
}
