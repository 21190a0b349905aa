import type { ApplicationFunction } from "probot";

/** A bare Probot app: one handler that does nothing, the baseline the relay's ack path is compared with. */
const app: ApplicationFunction = (probot) => {
  probot.on("push", async () => {});
};

export default app;
