/** The test vectors published in docs/fairness.md are what the code computes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { fromHex, toHex, utf8 } from '../../app/domain/fairness/bytes';
import { type DrawInputs, VerifiableRng, drawMessage } from '../../app/domain/fairness/draw-stream';
import { rateTableHash } from '../../app/domain/fairness/rate-table-hash';
import { seedCommitment } from '../../app/domain/fairness/seeds';
import { type HmacSha256Factory, hmacSha256, sha256, typescriptHmacSha256 } from '../../app/domain/fairness/sha256';
import { initialPlayerState } from '../../app/domain/player-state';
import { performPull } from '../../app/domain/pull-engine';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';

interface Vectors {
  inputs: DrawInputs;
  commitment: string;
  messageSlot0Block0: string;
  blockSlot0Block0: string;
  rateTableHashDefaultCatalog: string;
  pulls: {
    count: 1 | 10;
    seq: number;
    pityBefore: number;
    draws: [number, number, number[], number][];
    items: string[];
  }[];
}

const doc = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'fairness.md'), 'utf8');
const block = /```json test-vectors\n([\s\S]*?)```/.exec(doc)?.[1];
const vectors = JSON.parse(block ?? 'null') as Vectors;

describe('docs/fairness.md test vectors', () => {
  it('has the vectors block', () => {
    expect(vectors.inputs.serverSeedHex).toBe(toHex(sha256(utf8('gacha-bot fairness test vector'))));
  });

  it('commitment, message, first block and rate-table hash match', () => {
    expect(seedCommitment(vectors.inputs.serverSeedHex)).toBe(vectors.commitment);
    const message = drawMessage(vectors.inputs, 0, 0);
    expect(toHex(message)).toBe(vectors.messageSlot0Block0);
    expect(toHex(hmacSha256(fromHex(vectors.inputs.serverSeedHex), message))).toBe(vectors.blockSlot0Block0);
    expect(toHex(nodeHmacSha256(fromHex(vectors.inputs.serverSeedHex)).digest(message))).toBe(vectors.blockSlot0Block0);
    expect(rateTableHash(defaultCatalog())).toBe(vectors.rateTableHashDefaultCatalog);
  });

  const primitives: [string, HmacSha256Factory][] = [
    ['plain TypeScript', typescriptHmacSha256],
    ['node:crypto', nodeHmacSha256],
  ];
  it.each([0, 1].flatMap((i) => primitives.map(([name, hmac]) => [i, name, hmac] as const)))(
    'pull %i draws the listed words and items (%s HMAC-SHA-256)',
    (i, _name, hmac) => {
      const pull = vectors.pulls[i]!;
      const base = initialPlayerState(Number.MAX_SAFE_INTEGER);
      const state = {
        ...base,
        pity: { ...base.pity, standard: { sinceTop: pull.pityBefore, featuredGuaranteed: false } },
      };
      const rng = new VerifiableRng({ ...vectors.inputs, seq: pull.seq }, { trace: true, hmac });
      const outcome = performPull(
        defaultCatalog(),
        'standard',
        pull.count,
        state,
        rng,
        new Date('2026-11-28T12:00:00Z'),
      );
      expect(rng.trace!.map((t) => [t.slot, t.maxExclusive, t.words, t.value])).toEqual(pull.draws);
      expect(outcome.items.map((item) => `${item.tierId}/${item.itemId}`)).toEqual(pull.items);
    },
  );
});
