import { randomBytes } from "node:crypto";
import pg from "pg";
import type { AppProcess } from "./launcher.js";
import type { RecordedRequest } from "./fake-server.js";
import { processOwningPort } from "./socket-owner.js";
import type { World } from "./world.js";

/**
 * How the app runs in a crash test: one process on SQLite that is restarted on the same file, or two replicas
 * on one PostgreSQL database where the killed one is not restarted (the survivor must finish its work).
 */
export interface Topology {
  name: string;
  /** null when the topology cannot run here; the reason is printed and the tests skipped. */
  unavailable: string | null;
  /** A store for a fresh world (RELAY_DATABASE), and how to throw it away. */
  prepareStore(): Promise<{ database?: string; drop(): Promise<void> }>;
  start(world: World): Promise<void>;
  /**
   * kill -9 the process that sent `held` (the one replica, or the replica owning that connection), then
   * let the work go on: restart on the same store, or leave it to the surviving replica.
   */
  crash(world: World, held?: RecordedRequest): Promise<void>;
  /** The process webhooks are sent to. */
  entry(world: World): AppProcess;
}

export const sqliteRestart: Topology = {
  name: "one process on SQLite, restarted on the same file",
  unavailable: null,
  prepareStore: async () => ({ drop: async () => {} }),
  start: async (world) => {
    await world.startApp();
  },
  crash: async (world) => {
    await world.apps.at(-1)!.kill9();
    await world.startApp();
  },
  entry: (world) => world.apps.at(-1)!,
};

const postgresUrl = process.env.RELAY_TEST_DATABASE_URL;

export const postgresReplicas: Topology = {
  name: "two replicas on PostgreSQL, one killed",
  unavailable: postgresUrl ? null : "RELAY_TEST_DATABASE_URL is not set (a postgres:// URL of a server the test may create databases on)",
  prepareStore: async () => {
    const name = `relay_e2e_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    return {
      database: url.toString(),
      drop: async () => {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  },
  start: async (world) => {
    // Both start at once: migrations must be safe when replicas race (issue 10, item 7).
    await Promise.all([world.startApp(), world.startApp()]);
  },
  crash: async (world, held) => {
    const live = world.apps.filter((app) => !app.dead);
    const owner = held ? processOwningPort(held.remotePort, live.map((app) => app.pid)) : undefined;
    const victim = live.find((app) => app.pid === owner) ?? live[0]!;
    await victim.kill9();
  },
  entry: (world) => world.apps.find((app) => !app.dead)!,
};

export const TOPOLOGIES = [sqliteRestart, postgresReplicas];
