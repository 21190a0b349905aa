import { IdLists } from "../../../src/matching/id-lists.js";

const listOf = (lists: IdLists, owner: number): number[] => {
  const ids: number[] = [];
  for (let position = lists.start(owner); position < lists.end(owner); position++) ids.push(lists.at(position));
  return ids;
};

describe("IdLists", () => {
  it.each([
    ["no pairs", 3, [], [], [[], [], []]],
    ["one id per owner", 3, [0, 1, 2], [7, 8, 9], [[7], [8], [9]]],
    ["several ids for one owner, in pair order", 2, [1, 0, 1, 1], [5, 6, 3, 4], [[6], [5, 3, 4]]],
    ["owners without ids around one with ids", 4, [2, 2], [1, 0], [[], [], [1, 0], []]],
  ])("%s", (_name, count, owners, ids, expected) => {
    const lists = new IdLists(count, owners, ids);
    expect(Array.from({ length: count }, (_, owner) => listOf(lists, owner))).toEqual(expected);
  });
});
