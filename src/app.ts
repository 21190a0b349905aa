import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { ApplicationFunction, ApplicationFunctionOptions } from "probot";
import { createCallbackHandler } from "./callbacks/callback-endpoint.js";
import { createResultsHandler } from "./results/results-endpoint.js";
import type { OperatorConfig } from "./config/operator-config.js";
import { Engine } from "./engine/engine.js";
import { DeliveryReconciler, redeliveryWindowMs, type ReconcileReport } from "./engine/delivery-reconciler.js";
import { createEventUnit } from "./engine/event-unit.js";
import { RepoConfigCache } from "./github/config-cache.js";
import { createWebhookIntake, registerWebhookIntake, SUBSCRIBED_EVENTS, worthStoring } from "./github/webhook-intake.js";
import { handleComment } from "./github/handle-comment.js";
import { handleMergeGroup } from "./github/handle-merge-group.js";
import { handlePullRequest } from "./github/handle-pull-request.js";
import { handlePush } from "./github/handle-push.js";
import { handleRerequest } from "./github/handle-rerequest.js";
import type { GitHubClientFactory, Octokit } from "./github/octokit.js";
import { AdapterPool } from "./runs/adapter-pool.js";
import { RunAdvancer } from "./runs/advance-run.js";
import { RunConcluder } from "./runs/conclude-run.js";
import { publishRun } from "./runs/publish-run.js";
import type { RelayContext } from "./runs/relay-context.js";
import { RunService } from "./runs/run-service.js";
import type { RelayStore } from "./storage/types.js";
import type { HttpClientSettings } from "./vendors/http.js";
import { mountOperatorRoutes } from "./operator/health.js";
import { RelayMetrics } from "./operator/metrics.js";

export interface RelayOptions {
  operator: OperatorConfig;
  store: RelayStore;
  clock?: () => number;
  /** false in tests: nothing runs in the background; tests call runUntilIdle() themselves. */
  autoStart?: boolean;
  httpRetry?: HttpClientSettings["retry"];
  /** Replaces `app.auth` for installation clients outside a webhook (per-installation pacing, tests). */
  github?: GitHubClientFactory;
  /** Replaces `app.auth()` (the App's own JWT client) for the delivery reconciler. */
  appGithub?: () => Promise<Octokit>;
  metrics?: RelayMetrics;
}

export interface Relay {
  ctx: RelayContext;
  engine: Engine;
  runs: RunService;
  /** Runs every unit of work that is due at the current clock, and what they make due, until none is. */
  runUntilIdle(): Promise<number>;
  /** `POST /pipeline-relay/runs/:id/results`, as a Node request handler. */
  resultsHandler: ResultsHandler;
  /** `POST /pipeline-relay/callbacks/gitlab/<connection>`, as a Node request handler. */
  callbackHandler: ResultsHandler;
  /** Stops claiming work and finishes (or gives back) what is in flight, within the shutdown deadline. */
  stop(): Promise<void>;
  /** One round of the missed-deliveries reconciler (it also runs by itself at start and every few minutes). */
  reconcileDeliveries(kind?: "start" | "periodic"): Promise<ReconcileReport>;
}

type ResultsHandler = ReturnType<typeof createResultsHandler>;


export function createRelayApp(options: RelayOptions, onReady?: (relay: Relay) => void): ApplicationFunction {
  return (app, appOptions) => {
    const clock = options.clock ?? Date.now;
    const { operator, store } = options;
    const metrics = options.metrics ?? new RelayMetrics({ processMetrics: options.autoStart !== false, clock });
    const ctx: RelayContext = {
      operator,
      store,
      clock,
      log: app.log,
      github: options.github ?? (async (installationId) => (await app.auth(installationId)) as unknown as Octokit),
      adapters: new AdapterPool(operator, app.log, options.httpRetry, metrics),
      repoConfigs: new RepoConfigCache(operator.tracker.config_cache_seconds * 1000, clock),
      metrics,
    };
    const runs = new RunService(ctx);
    const concluder = new RunConcluder(ctx, runs);
    const advancer = new RunAdvancer(ctx, runs, concluder, operator.engine);
    const handleEvent = createEventUnit({ ctx, runs }, {
      push: handlePush,
      pull_request: handlePullRequest,
      issue_comment: handleComment,
      check_run: handleRerequest,
      check_suite: handleRerequest,
      merge_group: handleMergeGroup,
    });
    const engine = new Engine({
      store,
      clock,
      log: app.log,
      settings: operator.engine,
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      idleMs: operator.tracker.tick_seconds * 1000,
      connectionCap: (name) => (Object.hasOwn(operator.connections, name) ? operator.connections[name]!.rate_limit.max_concurrent : 1),
      units: { handleEvent, advanceRun: (claim) => advancer.advance(claim), publishRun: (claim, signal) => publishRun(ctx, claim, signal) },
      mask: (text) => operator.masker.mask(text),
    });
    const resultsHandler = createResultsHandler(ctx, async (run) => {
      await concluder.resultsArrived(run);
      engine.kick();
    });
    const callbackHandler = createCallbackHandler(ctx, () => engine.kick());
    mountHandlers(
      appOptions,
      (add) => {
        add(resultsHandler);
        add(callbackHandler);
        mountOperatorRoutes(add, { store, metrics, appCredentialsLoaded: () => true, env: process.env, clock });
      },
      ctx,
    );
    const reconciler = new DeliveryReconciler({
      store,
      clock,
      log: app.log,
      settings: operator.deliveries,
      appClient: options.appGithub ?? (async () => (await app.auth()) as unknown as Octokit),
      windowMs: redeliveryWindowMs(process.env),
      retentionMs: operator.engine.retention.deliveries_days * 24 * 60 * 60_000,
      isWanted: (event, action) => (SUBSCRIBED_EVENTS as readonly string[]).includes(event) && worthStoring(event, action),
      mask: (text) => operator.masker.mask(text),
    });
    if (options.autoStart !== false) {
      engine.start();
      reconciler.start();
    }

    // Answer GitHub first, work after: the ack only stores the delivery (one durable insert). Deliveries reach
    // the intake through Probot (in-process receive, tests) or the fast path in front of Probot's server.
    const intake = createWebhookIntake({ store, metrics, clock, kick: (repoKey) => engine.eventStored(repoKey), log: app.log });
    registerWebhookIntake(app, intake);
    app.on([...SUBSCRIBED_EVENTS], async (context) => {
      await intake({ id: context.id, name: context.name, payload: context.payload });
    });

    onReady?.({
      ctx,
      engine,
      runs,
      resultsHandler,
      callbackHandler,
      runUntilIdle: () => engine.runUntilIdle(),
      stop: async () => {
        await reconciler.stop();
        await engine.stop();
      },
      reconcileDeliveries: (kind = "periodic") => reconciler.reconcile(kind),
    });
  };
}

/** Serves our endpoints on Probot's own HTTP server; without a server (tests) the handlers are used directly. */
function mountHandlers(appOptions: ApplicationFunctionOptions | undefined, mount: (add: AddHandler) => void, ctx: RelayContext): void {
  try {
    if (appOptions) mount((handler) => appOptions.addHandler(handler));
  } catch {
    ctx.log.debug("no HTTP server: the results upload, health and metrics endpoints are not mounted");
  }
}

type AddHandler = ApplicationFunctionOptions["addHandler"] extends (handler: infer H) => unknown ? (handler: H) => void : never;
