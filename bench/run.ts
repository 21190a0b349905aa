import { ackRound, printAckRound } from "./ack-path.js";

/**
 * `npm run bench [a|b|c|d ...]`: the figures of issue 10, item 9, each part repeated 3 times (BENCH_REPEATS).
 * Not part of `npm test`: it loads the machine for minutes.
 */
const parts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["a", "b", "c", "d"];
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

console.log(`pipeline-relay bench, ${new Date().toISOString()}, node ${process.version}, parts ${parts.join(",")}, ${repeats} rounds each`);
if (parts.includes("a")) for (let round = 1; round <= repeats; round++) printAckRound(await ackRound(), round);
