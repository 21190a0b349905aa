import { vendorOf, type PipelineConfig, type RepoConfig } from "../config/repo-config.js";
import { VENDORS } from "../vendors/registry.js";

/** Pure: the `/help` reply, listing the repository's pipelines and the commands. */
export function renderHelp(config: RepoConfig): string {
  const rows = config.pipelines.map(
    (p) => `| \`${p.name}\` | ${VENDORS[vendorOf(p)]?.displayName ?? vendorOf(p)} | ${describeTriggers(p)} | ${p.variables_from_comment.map((v) => `\`${v}\``).join(", ") || "–"} |`,
  );
  return [
    "**pipeline-relay** runs these pipelines for this repository:",
    "",
    "| pipeline | runs on | starts on | `/run` may set |",
    "|---|---|---|---|",
    ...rows,
    "",
    "Commands (one per line in a pull-request comment):",
    "",
    "| command | what it does |",
    "|---|---|",
    "| `/retry` | re-runs the pipelines of the head commit that failed, were cancelled or never ran |",
    "| `/retry <name>` | runs that pipeline again |",
    "| `/cancel` | cancels every running pipeline of the head commit |",
    "| `/cancel <name>` | cancels that pipeline |",
    "| `/run <name> [KEY=VALUE ...]` | starts that pipeline on the head commit even if its rules would not, with the variables it allows |",
    "| `/ok-to-test <sha>` | lets pipelines run for an outside contributor's commit `<sha>` |",
    "| `/help` | this list |",
    "",
    "`/retry`, `/cancel`, `/run` and `/ok-to-test` need write access to the repository (or a place on the allowlist in `.github/pipelines.yml`).",
  ].join("\n");
}

function describeTriggers(pipeline: PipelineConfig): string {
  const parts: string[] = [];
  const push = pipeline.on.push;
  if (push) {
    const refs = [...(push.branches ?? (push.tags ? [] : ["any branch"])), ...(push.tags ?? []).map((t) => `tag ${t}`)];
    parts.push(`push to ${refs.map((r) => `\`${r}\``).join(", ")}`);
  }
  const pr = pipeline.on.pull_request;
  if (pr) {
    const base = pr.branches ? ` into ${pr.branches.map((b) => `\`${b}\``).join(", ")}` : "";
    const labels = pr.labels ? ` labelled ${pr.labels.map((l) => `\`${l}\``).join(" or ")}` : "";
    parts.push(`pull requests${base}${labels}`);
  }
  return parts.join("; ") || "only `/run`";
}
