import type { ApplicationFunction, ApplicationFunctionOptions } from "probot";
import { createResultsHandler } from "./results/results-endpoint.js";
import type { OperatorConfig } from "./config/operator-config.js";
import { RepoConfigCache } from "./github/config-cache.js";
import { EventWorker } from "./github/event-worker.js";
import { handleComment } from "./github/handle-comment.js";
import { handlePullRequest } from "./github/handle-pull-request.js";
import { handlePush } from "./github/handle-push.js";
import { handleRerequest } from "./github/handle-rerequest.js";
import type { GitHubClientFactory, Octokit } from "./github/octokit.js";
import { AdapterPool } from "./runs/adapter-pool.js";
import type { RelayContext } from "./runs/relay-context.js";
import { RunService } from "./runs/run-service.js";
import { Tracker } from "./runs/tracker.js";
import type { RelayStore } from "./storage/types.js";
import type { HttpClientSettings } from "./vendors/http.js";

export interface RelayOptions {
  operator: OperatorConfig;
  store: RelayStore;
  clock?: () => number;
  /** false in tests: nothing runs in the background; tests call drain() and pollDue() themselves. */
  autoStart?: boolean;
  httpRetry?: HttpClientSettings["retry"];
  /** Replaces `app.auth` for installation clients outside a webhook (tests turn GitHub write pacing off). */
  github?: GitHubClientFactory;
}

export interface Relay {
  ctx: RelayContext;
  worker: EventWorker;
  tracker: Tracker;
  runs: RunService;
  /** One round of background work: stored events first, then due polls. */
  tick(): Promise<void>;
  /** `POST /pipeline-relay/runs/:id/results`, as a Node request handler. */
  resultsHandler: ResultsHandler;
  /** Stops the background rounds and waits for the current one to finish. */
  stop(): Promise<void>;
}

type ResultsHandler = ReturnType<typeof createResultsHandler>;

export const SUBSCRIBED_EVENTS = ["push", "pull_request", "issue_comment", "check_run", "check_suite"] as const;

export function createRelayApp(options: RelayOptions, onReady?: (relay: Relay) => void): ApplicationFunction {
  return (app, appOptions) => {
    const clock = options.clock ?? Date.now;
    const ctx: RelayContext = {
      operator: options.operator,
      store: options.store,
      clock,
      log: app.log,
      github: options.github ?? (async (installationId) => (await app.auth(installationId)) as unknown as Octokit),
      adapters: new AdapterPool(options.operator, app.log, options.httpRetry),
      repoConfigs: new RepoConfigCache(options.operator.tracker.config_cache_seconds * 1000, clock),
    };
    const runs = new RunService(ctx);
    const services = { ctx, runs };
    const worker = new EventWorker(services, {
      push: handlePush,
      pull_request: handlePullRequest,
      issue_comment: handleComment,
      check_run: handleRerequest,
      check_suite: handleRerequest,
    });
    const tracker = new Tracker(ctx, runs);
    const resultsHandler = createResultsHandler(ctx, (run) => tracker.concluder.resultsArrived(run));
    mountHandler(appOptions, resultsHandler, ctx);

    let running: Promise<void> | undefined;
    const tick = () => {
      // One round at a time; a kick during a round is picked up by the next one.
      running ??= (async () => {
        try {
          await worker.drain();
          await tracker.pollDue();
        } catch (error) {
          ctx.log.error({ err: ctx.operator.masker.mask(String(error)) }, "background round failed");
        } finally {
          running = undefined;
        }
      })();
      return running;
    };
    const timer = options.autoStart === false ? undefined : setInterval(tick, options.operator.tracker.tick_seconds * 1000);
    timer?.unref();

    // Answer GitHub first, work after: the handler only stores the delivery.
    app.on([...SUBSCRIBED_EVENTS], async (context) => {
      const payload = context.payload as { installation?: { id: number }; action?: string };
      const installationId = payload.installation?.id;
      if (installationId === undefined || !worthStoring(context.name, payload.action)) return;
      const fresh = await worker.enqueue({ deliveryId: context.id, name: context.name, payload: context.payload, installationId });
      if (!fresh) context.log.info({ delivery: context.id }, "redelivered webhook ignored");
      else if (timer) void tick();
    });

    const stop = async () => {
      clearInterval(timer);
      await running;
    };
    onReady?.({ ctx, worker, tracker, runs, tick, resultsHandler, stop });
  };
}

/** Only actions some handler acts on are stored: GitHub sends many check and comment events that need nothing. */
export function worthStoring(event: string, action: string | undefined): boolean {
  if (event === "issue_comment") return action === "created";
  if (event === "check_run" || event === "check_suite") return action === "rerequested";
  return true;
}

/** Serves the results upload on Probot's own HTTP server; without a server (tests) the handler is used directly. */
function mountHandler(appOptions: ApplicationFunctionOptions | undefined, handler: ResultsHandler, ctx: RelayContext): void {
  try {
    appOptions?.addHandler(handler);
  } catch {
    ctx.log.debug("no HTTP server: the results upload endpoint is not mounted");
  }
}
