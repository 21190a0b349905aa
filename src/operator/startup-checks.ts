import { createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/** One thing that stops start-up: the variable, what is wrong and what to do, on one line. */
export interface StartupProblem {
  variable: string;
  problem: string;
  remedy: string;
}

export interface StartupCheckIo {
  cwd: string;
  readFile(path: string): string;
  listDir(path: string): string[];
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
/** Shorter access tokens are guessable; `openssl rand -hex 32` gives 64 characters. */
const MIN_ACCESS_TOKEN_LENGTH = 16;

const nodeIo: StartupCheckIo = {
  cwd: process.cwd(),
  readFile: (path) => readFileSync(path, "utf8"),
  listDir: (path) => readdirSync(path),
};

/**
 * Everything about the environment that would otherwise fail later, with a stack trace or, worse, silently
 * (a bad PORT falls back to 3000; a broken key opens the App-registration page). Empty when start-up may go on.
 */
export interface StartupCheckOptions {
  /**
   * The entry point can open Probot's App-registration page when no identity is set (`probot run`, outside
   * production). `npm start` (src/bin/serve.ts) cannot: it needs APP_ID, a key and WEBHOOK_SECRET.
   */
  registrationPage?: boolean;
}

export function startupProblems(env: NodeJS.ProcessEnv, io: StartupCheckIo = nodeIo, options: StartupCheckOptions = {}): StartupProblem[] {
  const problems: StartupProblem[] = [];
  const add = (variable: string, problem: string, remedy: string) => problems.push({ variable, problem, remedy });

  if (isSet(env.PORT) && !/^\d+$/.test(env.PORT!.trim())) add("PORT", `"${env.PORT}" is not a number`, "set PORT to a TCP port between 1 and 65535, or unset it for 3000");
  else if (isSet(env.PORT) && !(Number(env.PORT) >= 1 && Number(env.PORT) <= 65535)) add("PORT", `${env.PORT} is out of range`, "set PORT to a TCP port between 1 and 65535");

  if (isSet(env.LOG_LEVEL) && !LOG_LEVELS.includes(env.LOG_LEVEL!)) add("LOG_LEVEL", `"${env.LOG_LEVEL}" is not a log level`, `use one of ${LOG_LEVELS.join(", ")}`);

  const probotRun = options.registrationPage ?? false;
  const keySource = privateKeyProblems(env, io, add, probotRun);
  const keyGiven = keySource !== "none";
  if (keyGiven && !/^[1-9]\d*$/.test((env.APP_ID ?? "").trim())) {
    add("APP_ID", isSet(env.APP_ID) ? `"${env.APP_ID}" is not an App id` : "is not set although a private key is", "set APP_ID to the numeric App ID from the App's settings page (Settings → Developer settings → GitHub Apps)");
  }
  if (isSet(env.APP_ID) && !keyGiven) {
    add("PRIVATE_KEY_PATH", "is not set (nor PRIVATE_KEY) although APP_ID is", "download a private key from the App's settings page and point PRIVATE_KEY_PATH at the .pem file");
  }
  if (keyGiven && !isSet(env.WEBHOOK_SECRET)) {
    add("WEBHOOK_SECRET", "is not set, so no webhook signature could be checked", "set WEBHOOK_SECRET to the webhook secret of the App's settings page");
  }
  const registrationPage = probotRun && env.NODE_ENV !== "production";
  if (!registrationPage && !keyGiven && !isSet(env.APP_ID)) {
    add(
      "APP_ID",
      "and the private key are not set",
      "set APP_ID, PRIVATE_KEY_PATH and WEBHOOK_SECRET from the App's settings page, or register a new App once with `npm run start:probot` (Probot's setup page writes them into .env)",
    );
  }
  for (const variable of ["RELAY_METRICS_TOKEN", "RELAY_DASHBOARD_TOKEN"]) {
    const value = env[variable];
    if (isSet(value) && value!.length < MIN_ACCESS_TOKEN_LENGTH) {
      add(variable, `is shorter than ${MIN_ACCESS_TOKEN_LENGTH} characters`, "use a random token, e.g. `openssl rand -hex 32`");
    }
  }
  return problems;
}

type Add = (variable: string, problem: string, remedy: string) => void;

/** Checks the key that will be used: PRIVATE_KEY wins over PRIVATE_KEY_PATH; `probot run` also finds a single *.pem. */
function privateKeyProblems(env: NodeJS.ProcessEnv, io: StartupCheckIo, add: Add, findPemFile: boolean): "env" | "path" | "pem-file" | "none" {
  if (isSet(env.PRIVATE_KEY)) {
    if (!isPrivateKey(probotKeyText(env.PRIVATE_KEY!))) {
      add("PRIVATE_KEY", "is not a PEM private key", "paste the whole .pem file (newlines may be written \\n), or use PRIVATE_KEY_PATH instead");
    }
    return "env";
  }
  if (isSet(env.PRIVATE_KEY_PATH)) {
    const path = resolve(io.cwd, env.PRIVATE_KEY_PATH!);
    let text: string;
    try {
      text = io.readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : code === "EISDIR" ? "is a directory" : "cannot be read";
      add("PRIVATE_KEY_PATH", `${path} ${why}`, "point PRIVATE_KEY_PATH at the App's private key (.pem from the App's settings page), readable by this user");
      return "path";
    }
    if (!isPrivateKey(text)) add("PRIVATE_KEY_PATH", `${path} is not a PEM private key`, "download a new private key from the App's settings page; the file starts with -----BEGIN RSA PRIVATE KEY-----");
    return "path";
  }
  if (!findPemFile) return "none";
  let pemFiles: string[] = [];
  try {
    pemFiles = io.listDir(io.cwd).filter((name) => name.endsWith(".pem"));
  } catch {
    // An unreadable working directory fails elsewhere with its own message.
  }
  if (pemFiles.length > 1) add("PRIVATE_KEY_PATH", `is not set and ${pemFiles.length} .pem files are in ${io.cwd}`, "set PRIVATE_KEY_PATH to the App's key");
  return pemFiles.length > 0 ? "pem-file" : "none";
}

/** Probot's reading of PRIVATE_KEY: base64 is decoded, `\n` written out becomes a newline. */
function probotKeyText(value: string): string {
  const decoded = Buffer.from(value, "base64").toString("base64") === value ? Buffer.from(value, "base64").toString() : value;
  return decoded.replace(/\\n/g, "\n");
}

function isPrivateKey(text: string): boolean {
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) return false;
  try {
    createPrivateKey(text);
    return true;
  } catch {
    return false;
  }
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

export function formatStartupProblem(problem: StartupProblem): string {
  return `pipeline-relay cannot start: ${problem.variable} ${problem.problem}: ${problem.remedy}`;
}

/**
 * For the entry point: prints each problem on one line and exits with status 1; returns when there are none.
 * `exitOnStartupProblems(process.env)` in src/bin/serve.ts; `{ registrationPage: true }` under `probot run`.
 */
export function exitOnStartupProblems(
  env: NodeJS.ProcessEnv,
  options: StartupCheckOptions = {},
  print: (line: string) => void = (line) => console.error(line),
): void {
  const problems = startupProblems(env, nodeIo, options);
  if (problems.length === 0) return;
  for (const problem of problems) print(formatStartupProblem(problem));
  process.exit(1);
}
