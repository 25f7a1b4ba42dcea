/** The fields of an outbox row that decide how it is batched. */
export interface PendingChange {
  seq: number;
  listId: number;
  operation: number;
  statusIndex: number;
}

/** Changes sent together: one list, one operation. */
export interface AnchorBatch<T extends PendingChange> {
  listId: number;
  operation: number;
  changes: T[];
}

/**
 * The next round of batches from pending changes (any order in, processed by `seq`): for every (list, index)
 * only its oldest pending change goes in this round, so a suspend → reinstate → suspend of one entry reaches
 * the chain in the order it was accepted. The rest waits for later rounds, sent only after this one is
 * anchored. Within a round, changes are grouped per (list, operation) and cut into batches of `maxPerBatch`.
 */
export function nextRound<T extends PendingChange>(pending: readonly T[], maxPerBatch: number): AnchorBatch<T>[] {
  const sorted = [...pending].sort((a, b) => a.seq - b.seq);
  const taken = new Set<string>();
  const groups = new Map<string, T[]>();
  for (const change of sorted) {
    const entry = `${change.listId}:${change.statusIndex}`;
    if (taken.has(entry)) continue;
    taken.add(entry);
    const group = `${change.listId}:${change.operation}`;
    const list = groups.get(group) ?? [];
    list.push(change);
    groups.set(group, list);
  }
  const batches: AnchorBatch<T>[] = [];
  for (const changes of groups.values()) {
    for (let i = 0; i < changes.length; i += maxPerBatch) {
      batches.push({ listId: changes[0].listId, operation: changes[0].operation, changes: changes.slice(i, i + maxPerBatch) });
    }
  }
  return batches;
}
