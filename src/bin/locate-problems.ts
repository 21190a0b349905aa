import { isMap, isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { parseRepoConfig } from "../config/load-repo-config.js";
import type { OperatorConfig } from "../config/operator-config.js";
import { getRepoConfigSchema, type RepoConfig } from "../config/repo-config.js";
import { ConfigError } from "../errors.js";

/** A problem in a YAML file with where it is (1-based line and column). */
export interface LocatedProblem {
  line: number;
  column: number;
  path: string;
  problem: string;
}

export type RepoConfigCheck =
  | { ok: true; config: RepoConfig; notes: string[] }
  | { ok: false; problems: LocatedProblem[]; notes: string[] };

type Path = Array<string | number>;

/**
 * Checks a `.github/pipelines.yml` text as the app does (YAML, then the zod schema, then the connections when an
 * operator config is given) and places every problem at its line and column. Pure.
 */
export function checkRepoConfigText(text: string, options: { operator?: OperatorConfig; repository?: string } = {}): RepoConfigCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) => lineCounter.linePos(offset ?? 0);
  const notes: string[] = [];
  if (doc.errors.length > 0) {
    return {
      ok: false,
      notes,
      problems: doc.errors.map((error) => {
        const { line, col } = at(error.pos[0]);
        return { line, column: col, path: "", problem: `not valid YAML: ${error.message.split("\n")[0]!}` };
      }),
    };
  }
  const raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof raw === "object" && raw !== null && "_extends" in raw) {
    // Probot merges `_extends` sources from other repositories; offline, this file is checked on its own.
    notes.push(`_extends: ${String(raw._extends)} is not followed offline: this file is checked without it`);
    delete raw._extends;
  }
  const result = getRepoConfigSchema().safeParse(raw);
  if (!result.success) return { ok: false, notes, problems: result.error.issues.flatMap((issue) => locateIssue(doc, lineCounter, issue)) };
  if (!options.operator) return { ok: true, config: result.data, notes };

  try {
    const config = parseRepoConfig(raw, options.repository ?? "any/repository", options.repository ? options.operator : allowingEveryRepository(options.operator));
    if (!options.repository) notes.push("pass --repo owner/name to check that each connection allows the repository");
    return { ok: true, config, notes };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { ok: false, notes, problems: error.problems.map((p) => locate(doc, lineCounter, parsePath(p.path), p.problem)) };
  }
}

function locateIssue(doc: Document, lineCounter: LineCounter, issue: z.core.$ZodIssue): LocatedProblem[] {
  const path = issue.path as Path;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => locate(doc, lineCounter, [...path, key], `unknown field \`${key}\``, true));
  }
  return [locate(doc, lineCounter, path, issue.message.replace(/^Invalid input: /, ""))];
}

/** The node at `path` (its key when `atKey`), or the nearest ancestor that exists (for missing fields). */
function locate(doc: Document, lineCounter: LineCounter, path: Path, problem: string, atKey = false): LocatedProblem {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const prefix = path.slice(0, depth);
    const offset = atKey && depth === path.length ? keyOffset(doc, prefix) : valueOffset(doc, prefix);
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col, path: formatPath(path), problem };
    }
  }
  return { line: 1, column: 1, path: formatPath(path), problem };
}

function valueOffset(doc: Document, path: Path): number | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isNode(node) ? node.range?.[0] : undefined;
}

function keyOffset(doc: Document, path: Path): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === path[path.length - 1]);
  return pair && isNode(pair.key) ? pair.key.range?.[0] : undefined;
}

/** `pipelines[0].on.push` → ["pipelines", 0, "on", "push"]. */
export function parsePath(text: string): Path {
  const path: Path = [];
  for (const match of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return path;
}

export function formatPath(path: Path): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key), "");
}

function allowingEveryRepository(operator: OperatorConfig): OperatorConfig {
  const connections = Object.fromEntries(Object.entries(operator.connections).map(([name, c]) => [name, { ...c, repositories: ["*/*"] }]));
  return { ...operator, connections };
}
