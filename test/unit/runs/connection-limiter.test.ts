import { createConnection } from "node:net";
import { connectionLimiter } from "../../../src/runs/connection-limiter.js";

const REDIS_URL = process.env.RELAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether a Redis server answers on the test URL (the suite below needs a real one). */
async function redisAnswers(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(500);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

const available = await redisAnswers();
if (!available) process.stderr.write(`skipped: the connection limiter across replicas needs Redis at ${REDIS_URL} (none answers)\n`);

describe("connectionLimiter", () => {
  it("without REDIS_URL limits this process only", async () => {
    const limiter = connectionLimiter("local", { maxConcurrent: 1, perSecond: 1000 }, undefined);
    let running = 0;
    let peak = 0;
    const job = async () => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
    };
    await Promise.all([limiter.schedule(job), limiter.schedule(job), limiter.schedule(job)]);
    expect(peak).toBe(1);
  });

  (available ? it : it.skip)("with REDIS_URL two replicas' limiters of one connection share max_concurrent", async () => {
    const name = `test-${process.pid}-${Date.now()}`;
    const replicaA = connectionLimiter(name, { maxConcurrent: 1, perSecond: 1000 }, REDIS_URL);
    const replicaB = connectionLimiter(name, { maxConcurrent: 1, perSecond: 1000 }, REDIS_URL);
    await Promise.all([replicaA.ready(), replicaB.ready()]);
    let running = 0;
    let peak = 0;
    const job = async () => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running -= 1;
    };
    await Promise.all([replicaA.schedule(job), replicaB.schedule(job), replicaA.schedule(job), replicaB.schedule(job)]);
    expect(peak).toBe(1);
    await Promise.all([replicaA.disconnect(false), replicaB.disconnect(false)]);
  });
});
