import nock from "nock";
import { githubRequests, matcherFailures } from "./github-api.js";

/**
 * Every test file: no real network, every mock used, every request mocked.
 * A request without a mock fails the test even when the code under test swallowed the error.
 */
const unmatched: string[] = [];

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on("no match", (request: { method?: string; href?: string; path?: string; options?: { href?: string } }) => {
    const target = `${request.method ?? "?"} ${request.href ?? request.options?.href ?? request.path ?? "?"}`;
    // Servers a test starts itself on the loopback address are real, not mocks.
    if (!/^\S+ https?:\/\/127\.0\.0\.1[:/]/.test(target)) unmatched.push(target);
  });
});

afterEach(() => {
  const pending = nock.pendingMocks();
  const missing = unmatched.splice(0);
  const failedBodies = matcherFailures.splice(0).map((error) => error.message);
  githubRequests.splice(0);
  nock.cleanAll();
  expect({ pendingMocks: pending, requestsWithoutMock: missing, failedBodyAssertions: failedBodies }).toEqual({
    pendingMocks: [],
    requestsWithoutMock: [],
    failedBodyAssertions: [],
  });
});

afterAll(() => {
  nock.enableNetConnect();
});
