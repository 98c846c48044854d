/**
 * Checks shared by the two "verifier on a real run" tests (services on the test server, and the
 * bundle through the simulator): every export verifies completely, and altering one pulled item in
 * the ledger is what makes the next export fail.
 */
import type { Collection } from 'mongodb';
import type { LedgerEventDoc } from '../../../app/storage/collections';
import type { VerificationReport } from '../../../app/verifier/verify-export';

export interface VerifiedExport {
  readonly file: string;
  readonly report: VerificationReport;
}

/**
 * Every export verifies with nothing pending and `pullsEach` pulls; returns the items counted in
 * the files and the seed epochs their pulls came from.
 */
export function expectAllVerified(
  results: readonly VerifiedExport[],
  pullsEach: number,
): { readonly items: number; readonly epochs: ReadonlySet<number> } {
  let items = 0;
  const epochs = new Set<number>();
  for (const { file, report } of results) {
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, pulls: pullsEach, verified: pullsEach, pending: 0 });
    const parsed = JSON.parse(file) as { events: { kind: string; epoch?: number; items?: unknown[] }[] };
    for (const event of parsed.events) {
      if (event.kind !== 'pull') continue;
      items += event.items?.length ?? 0;
      if (event.epoch !== undefined) epochs.add(event.epoch);
    }
  }
  return { items, epochs };
}

/**
 * Replaces one item of a pull event in the ledger with another item of the same tier (a change the
 * pity chain cannot notice, only the recomputed draw); returns the slot changed.
 */
export async function alterOnePulledItem(
  ledger: Collection<LedgerEventDoc>,
  event: LedgerEventDoc,
  catalogItems: readonly { readonly id: string; readonly tierId: string }[],
): Promise<number> {
  if (!event.pull) throw new Error(`ledger event ${event._id} is not a pull`);
  const slot = event.pull.items.findIndex((item) => catalogItems.filter((i) => i.tierId === item.tierId).length > 1);
  const original = event.pull.items[slot];
  const other = catalogItems.find((i) => i.tierId === original?.tierId && i.id !== original.itemId);
  if (!original || !other) throw new Error('no pulled item with another item of its tier');
  await ledger.updateOne({ _id: event._id }, { $set: { [`pull.items.${slot}.itemId`]: other.id } });
  return slot;
}
