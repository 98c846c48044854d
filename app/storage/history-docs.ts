import { playerKey, type HistoryDoc, type LedgerEventDoc } from './collections';

/** The history documents an event stands for: one per item it gave, with deterministic ids. */
export function historyDocs(event: LedgerEventDoc): HistoryDoc[] {
  const base = {
    guildId: event.guildId,
    userId: event.userId,
    interactionId: event.interactionId,
    eventSeq: event.seq,
    at: event.at,
  };
  const prefix = `${playerKey(event.guildId, event.userId)}:${event.opKey}`;
  if (event.pull) {
    const { bannerId } = event.pull;
    return event.pull.items.map((item, index) => ({
      ...base,
      _id: `${prefix}:${index}`,
      index,
      source: 'pull',
      bannerId,
      tierId: item.tierId,
      itemId: item.itemId,
      pityCount: item.pityCount,
      featured: item.featured,
      duplicate: item.duplicate,
      ...(event.fairness
        ? { guaranteeSlot: item.guaranteeSlot, tenPull: event.fairness.tenPull, epoch: event.fairness.epoch }
        : {}),
    }));
  }
  if (event.spark) {
    return [
      {
        ...base,
        _id: `${prefix}:0`,
        index: 0,
        source: 'spark',
        bannerId: event.spark.bannerId,
        tierId: event.spark.tierId,
        itemId: event.spark.itemId,
        pityCount: 0,
        featured: true,
        duplicate: event.spark.duplicate,
      },
    ];
  }
  return [];
}
