import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCommand } from "../../../src/bin/commands.js";

/** Runs a pipeline-relay command in a fresh directory holding `files`; returns its exit status and output. */
export async function cli(argv: string[], files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "relay-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCommand(argv, { env, cwd, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { status, out, err };
}

export const PIPELINES = `pipelines:
  - name: build
    connection: corp-gitlab
    on:
      push: { branches: [main], paths: ["src/**"] }
      pull_request: { labels: [ci] }
    variables: { MODE: fast }
    gitlab: { project: acme/widgets }
  - name: docs
    connection: corp-gitlab
    on:
      push:
        branches: main
        paths: docs/**
    report_when_skipped: true
    gitlab: { project: acme/docs }
  - name: release
    connection: corp-zadig
    on:
      push: { tags: ["v*"] }
    zadig: { project: acme, workflow: release }
`;

export const RELAY = `connections:
  corp-gitlab:
    vendor: gitlab
    url: https://gitlab.example.com
    token: \${GITLAB_TOKEN}
    repositories: ["acme/*"]
  corp-zadig:
    vendor: zadig
    url: https://zadig.example.com
    token: \${ZADIG_TOKEN}
    repositories: ["acme/*"]
trusted_authors: ["renovate[bot]"]
`;
