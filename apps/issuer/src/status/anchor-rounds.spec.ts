import { nextRound } from './anchor-rounds.js';

const c = (seq: number, listId: number, operation: number, statusIndex: number) => ({ seq, listId, operation, statusIndex });

test('one round takes only the oldest pending change of each entry', () => {
  const round = nextRound([c(3, 2, 0, 7), c(1, 2, 0, 7), c(2, 2, 1, 7), c(4, 2, 0, 9), c(5, 1, 0, 7)], 100);
  const summary = round.map((b) => [b.listId, b.operation, b.changes.map((x) => x.seq)]);
  expect(summary).toEqual([
    [2, 0, [1, 4]],
    [1, 0, [5]],
  ]);
});

test('batches are cut at the size limit', () => {
  const pending = Array.from({ length: 5 }, (_, i) => c(i + 1, 1, 0, i));
  expect(nextRound(pending, 2).map((b) => b.changes.length)).toEqual([2, 2, 1]);
});
