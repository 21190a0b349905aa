import { ackRound, fixedRateRound, printAckRound, printFixedRateRound } from "./ack-path.js";
import { burstRound, printBurstRound } from "./burst.js";
import { callbackRound, printCallbackRound } from "./callbacks.js";
import { matchingRound, printMatchingRound } from "./matching.js";
import { oneRepositoryRound, printOneRepositoryRound } from "./one-repository.js";
import { printTrackerRound, trackerRound } from "./tracker-round.js";

/**
 * `npm run bench [a|b|c|d|e|f|g ...]`: the figures of issue 10, item 9 (a–d), issue 14 (e: vendor → GitHub latency
 * with and without callbacks), the ack latency at fixed rates (f) and one repository's handling (g), each part
 * repeated 3 times (BENCH_REPEATS).
 * Not part of `npm test`: it loads the machine for minutes.
 */
const parts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["a", "b", "c", "d", "e", "f", "g"];
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

console.log(`pipeline-relay bench, ${new Date().toISOString()}, node ${process.version}, parts ${parts.join(",")}, ${repeats} rounds each`);
for (let round = 1; round <= repeats; round++) {
  if (parts.includes("a")) printAckRound(await ackRound(), round);
  if (parts.includes("b")) printBurstRound(await burstRound(), round);
  if (parts.includes("c")) printMatchingRound(matchingRound(), round);
  if (parts.includes("d")) printTrackerRound(await trackerRound(), round);
  if (parts.includes("e")) printCallbackRound(await callbackRound(), round);
  if (parts.includes("f")) printFixedRateRound(await fixedRateRound(), round);
  if (parts.includes("g")) printOneRepositoryRound(await oneRepositoryRound(), round);
}
