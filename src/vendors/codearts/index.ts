import type { VendorModule } from "../types.js";
import { createCodeartsAdapter } from "./adapter.js";
import { credentialProblem } from "./auth.js";
import { codeartsConnection, codeartsTarget, type CodeartsConnection, type CodeartsTarget } from "./schema.js";

export const codearts: VendorModule<CodeartsConnection, CodeartsTarget> = {
  id: "codearts",
  displayName: "CodeArts Pipeline",
  connectionSchema: codeartsConnection,
  // Top-level on purpose: the operator config requires `${ENV}` references and masks exactly these keys.
  secretFields: ["iam_user", "iam_password", "access_key", "secret_key"],
  targetSchema: codeartsTarget,
  validateConnection: (connection) => {
    const problem = credentialProblem(connection);
    return problem ? [problem] : [];
  },
  create: (deps) => createCodeartsAdapter(deps),
};
