import { createAslanFlavour } from "./aslan-flavour.js";
import { missingField } from "./errors.js";
import type { FlavourContext, ZadigFlavour } from "./flavour.js";
import { pipelineTaskBody } from "./request-bodies.js";

/** The predecessor's pipeline V2 tasks, as Zadig 1.x serves them under `/api/aslan/workflow/v2/tasks`. */
export function createPipelineV2Flavour(context: FlavourContext): ZadigFlavour {
  return createAslanFlavour(context, {
    tasksPath: "/api/aslan/workflow/v2/tasks",
    nameOf(target, operation) {
      if (!target.pipeline) throw missingField("pipeline-v2", operation, "pipeline", "the pipeline V2's name");
      return target.pipeline;
    },
    startBody: pipelineTaskBody,
    actionQuery: () => ({}),
    // No documented UI path for single pipelines: the check run shows no link rather than a guessed one.
    webUrl: () => undefined,
    source: "Zadig pipeline test reports",
  });
}
