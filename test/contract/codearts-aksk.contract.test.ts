import { codeartsHarness } from "./codearts-harness.js";
import { describeAdapterContract } from "./vendor-adapter.contract.js";

describeAdapterContract("codearts (AK/SK)", codeartsHarness("aksk"));
