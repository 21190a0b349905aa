import { createAslanFlavour } from "./aslan-flavour.js";
import { missingField } from "./errors.js";
import { webBaseOf, type FlavourContext, type ZadigFlavour } from "./flavour.js";
import { workflowTaskBody } from "./request-bodies.js";

/** Zadig v1.7 product workflows: `/api/aslan/workflow/workflowtask` (seed 003, v1.7.0 router). */
export function createWorkflowV17Flavour(context: FlavourContext): ZadigFlavour {
  return createAslanFlavour(context, {
    tasksPath: "/api/aslan/workflow/workflowtask",
    nameOf(target, operation) {
      if (!target.workflow) throw missingField("v1.7", operation, "workflow", "the product workflow's name");
      return target.workflow;
    },
    startBody: workflowTaskBody,
    actionQuery: (target) => ({ projectName: target.project }),
    webUrl: (runId, name, target) =>
      target.project
        ? `${webBaseOf(context.connection)}/v1/projects/detail/${encodeURIComponent(target.project)}/pipelines/multi/${encodeURIComponent(name)}/${encodeURIComponent(runId)}`
        : undefined,
    source: "Zadig workflow test reports",
  });
}
