import { existsSync, readFileSync } from "node:fs";
import { Script } from "node:vm";
import picomatch from "picomatch";
import { HEALTH_PATH } from "../../../src/operator/health.js";

/**
 * The image cannot be built here (no Docker engine in CI), so this checks that the Dockerfile's commands fit
 * the repository: what it copies exists and is not ignored, stages exist, the entry point is built from a
 * source file, and the health check is a valid node script against the health route.
 */
const dockerfile = readFileSync("Dockerfile", "utf8").replace(/\\\n/g, " ");
const instructions = dockerfile
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"))
  .map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword!.toUpperCase(), args: rest.join(" ") };
  });
const ignore = readFileSync(".dockerignore", "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

function ignored(path: string): boolean {
  let result = false;
  for (const pattern of ignore) {
    const negated = pattern.startsWith("!");
    const glob = negated ? pattern.slice(1) : pattern;
    if (picomatch.isMatch(path, glob, { dot: true }) || picomatch.isMatch(path, `${glob}/**`, { dot: true })) result = !negated;
  }
  return result;
}

const stages = instructions.filter((i) => i.keyword === "FROM").map((i) => /\bAS\s+(\S+)/i.exec(i.args)?.[1]);
const copies = instructions.filter((i) => i.keyword === "COPY");

describe("Dockerfile", () => {
  it("copies only files that exist and that .dockerignore lets into the context", () => {
    const sources = copies.filter((c) => !c.args.startsWith("--from")).flatMap((c) => c.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect({ source, exists: existsSync(source), ignored: ignored(source) }).toEqual({ source, exists: true, ignored: false });
    }
  });

  it("copies from stages it defines, and is multi-stage", () => {
    expect(stages).toEqual(["deps", "build", "runtime"]);
    for (const copy of copies.filter((c) => c.args.startsWith("--from"))) {
      expect(stages).toContain(/--from=(\S+)/.exec(copy.args)![1]);
    }
  });

  it("installs production dependencies with npm ci --omit=dev and builds with the build script", () => {
    const runs = instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
    expect(runs).toContain("npm ci --omit=dev");
    expect(runs).toContain("npm run build");
    expect(JSON.parse(readFileSync("package.json", "utf8")).scripts.build).toBe("tsc -p tsconfig.build.json");
  });

  it("starts an entry point the build produces, as a non-root user", () => {
    const cmd = JSON.parse(instructions.filter((i) => i.keyword === "CMD").at(-1)!.args) as string[];
    expect(cmd[0]).toBe("node");
    const entry = cmd[1]!;
    expect(entry).toMatch(/^dist\/.+\.js$/);
    expect(existsSync(entry.replace(/^dist\//, "src/").replace(/\.js$/, ".ts"))).toBe(true);
    const users = instructions.filter((i) => i.keyword === "USER").map((i) => i.args);
    expect(users.at(-1)).toBe("node");
  });

  it("listens on every interface and keeps SQLite on the /data volume", () => {
    const env = instructions.filter((i) => i.keyword === "ENV").map((i) => i.args).join(" ");
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(env).toMatch(/\bRELAY_DATABASE=\/data\/relay\.sqlite\b/);
    expect(instructions.find((i) => i.keyword === "VOLUME")?.args).toBe('["/data"]');
  });

  it("checks health with node against the health route, without curl", () => {
    const check = instructions.find((i) => i.keyword === "HEALTHCHECK")!.args;
    const command = JSON.parse(check.slice(check.indexOf("CMD") + 3).trim()) as string[];
    expect(command.slice(0, 2)).toEqual(["node", "-e"]);
    expect(() => new Script(command[2]!)).not.toThrow();
    expect(command[2]).toContain(`'${HEALTH_PATH}'`);
    expect(dockerfile).not.toMatch(/\b(curl|wget)\s/);
  });

  it("keeps secrets and local state out of the build context", () => {
    for (const path of [".env", "relay.yml", "app.private-key.pem", "data/relay.sqlite", "node_modules/x", ".git/config"]) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: true });
    }
  });
});
