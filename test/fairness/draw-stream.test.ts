/**
 * The verifiable stream: its byte layout, determinism, independence of its inputs, and sampling
 * without modulo bias, shown by exact counting.
 */
import { createHmac } from 'node:crypto';
import {
  VerifiableRng,
  acceptanceLimit,
  drawMessage,
  sampleWord,
  type DrawInputs,
} from '../../app/domain/fairness/draw-stream';
import { pickByPpm } from '../../app/domain/rates';
import { fixedSeed } from './support/fairness-fixtures';

const INPUTS: DrawInputs = {
  serverSeedHex: fixedSeed('stream'),
  clientSeed: 'hello',
  guildId: '123456789012345678',
  userId: '234567890123456789',
  seq: 42,
};

describe('draw message layout', () => {
  it('is tag ‖ u16 length-prefixed client seed, guild, user ‖ u64 seq ‖ u32 slot ‖ u32 block, all big-endian', () => {
    const message = Buffer.from(drawMessage(INPUTS, 3, 1));
    const expected = Buffer.concat([
      Buffer.from('gacha-bot/draw/v1', 'ascii'),
      Buffer.from([0, 5]),
      Buffer.from('hello'),
      Buffer.from([0, 18]),
      Buffer.from(INPUTS.guildId),
      Buffer.from([0, 18]),
      Buffer.from(INPUTS.userId),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 42]),
      Buffer.from([0, 0, 0, 3]),
      Buffer.from([0, 0, 0, 1]),
    ]);
    expect(message.toString('hex')).toBe(expected.toString('hex'));
  });

  it("follows each pull's own client seed, guild and user when they change between pulls (no stale prefix)", () => {
    const layout = (inputs: DrawInputs) =>
      Buffer.concat([
        Buffer.from('gacha-bot/draw/v1', 'ascii'),
        ...[inputs.clientSeed, inputs.guildId, inputs.userId].flatMap((field) => [
          Buffer.from([0, Buffer.byteLength(field)]),
          Buffer.from(field),
        ]),
        Buffer.from([0, 0, 0, 0, 0, 0, 0, inputs.seq]),
        Buffer.from([0, 0, 0, 0]),
        Buffer.from([0, 0, 0, 0]),
      ]).toString('hex');
    const sequence: DrawInputs[] = [
      INPUTS,
      { ...INPUTS, clientSeed: 'other', seq: 7 },
      { ...INPUTS, guildId: '9', seq: 8 },
      { ...INPUTS, userId: '77', seq: 9 },
      INPUTS,
      { ...INPUTS, clientSeed: '' },
    ];
    for (const inputs of sequence) expect(Buffer.from(drawMessage(inputs, 0, 0)).toString('hex')).toBe(layout(inputs));
    for (const inputs of sequence) {
      const rng = new VerifiableRng(inputs);
      const block = createHmac('sha256', Buffer.from(inputs.serverSeedHex, 'hex'))
        .update(drawMessage(inputs, 0, 0))
        .digest();
      expect(rng.nextInt(2 ** 32)).toBe(block.readUInt32BE(0));
    }
  });

  it('reads the words of block b of a slot from HMAC-SHA-256(seed, message) in big-endian order', () => {
    const rng = new VerifiableRng(INPUTS, { trace: true });
    rng.beginSlot(2);
    const draws = Array.from({ length: 12 }, () => rng.nextInt(2 ** 32));
    const blocks = [0, 1].map((b) =>
      createHmac('sha256', Buffer.from(INPUTS.serverSeedHex, 'hex'))
        .update(drawMessage(INPUTS, 2, b))
        .digest(),
    );
    const words = blocks.flatMap((block) => Array.from({ length: 8 }, (_, i) => block.readUInt32BE(i * 4)));
    expect(draws).toEqual(words.slice(0, 12));
  });

  it('starts every slot afresh, so a slot does not depend on how many words earlier slots used', () => {
    const a = new VerifiableRng(INPUTS);
    a.beginSlot(0);
    a.nextInt(10);
    a.beginSlot(1);
    const afterOneDraw = [a.nextInt(1_000_000), a.nextInt(7)];
    const b = new VerifiableRng(INPUTS);
    b.beginSlot(0);
    for (let i = 0; i < 20; i++) b.nextInt(10);
    b.beginSlot(1);
    expect([b.nextInt(1_000_000), b.nextInt(7)]).toEqual(afterOneDraw);
  });

  it('changes with every input', () => {
    const first = (inputs: DrawInputs) => {
      const rng = new VerifiableRng(inputs);
      return [rng.nextInt(2 ** 32), rng.nextInt(2 ** 32)];
    };
    const base = first(INPUTS);
    const variants: DrawInputs[] = [
      { ...INPUTS, serverSeedHex: fixedSeed('other') },
      { ...INPUTS, clientSeed: 'hellp' },
      { ...INPUTS, clientSeed: '' },
      { ...INPUTS, guildId: '123456789012345679' },
      { ...INPUTS, userId: '234567890123456788' },
      { ...INPUTS, seq: 43 },
      // Length prefixes keep field boundaries apart: moving a character between fields changes the stream.
      { ...INPUTS, clientSeed: 'hello1', guildId: '23456789012345678' },
    ];
    for (const variant of variants) expect(first(variant)).not.toEqual(base);
  });

  it('rejects malformed inputs', () => {
    expect(() => new VerifiableRng({ ...INPUTS, serverSeedHex: 'AB'.repeat(32) })).toThrow(RangeError);
    expect(() => new VerifiableRng({ ...INPUTS, clientSeed: 'with space' })).toThrow(RangeError);
    expect(() => new VerifiableRng({ ...INPUTS, clientSeed: 'x'.repeat(65) })).toThrow(RangeError);
    expect(() => new VerifiableRng({ ...INPUTS, seq: -1 })).toThrow(RangeError);
    expect(() => new VerifiableRng(INPUTS).nextInt(0)).toThrow(RangeError);
  });
});

describe('sampling without modulo bias', () => {
  it('gives every value of [0, n) exactly floor(2^32 / n) accepted 32-bit words, for n up to 10^6 and the ppm range', () => {
    for (const n of [1, 2, 3, 5, 7, 10, 48, 100, 999, 65_537, 999_983, 1_000_000]) {
      const limit = acceptanceLimit(n);
      expect(limit % n).toBe(0);
      expect(limit).toBeGreaterThan(2 ** 32 - n);
      // Words congruent to v below the limit: v, v + n, …, v + (limit/n − 1)·n — the same count for every v.
      const perValue = limit / n;
      expect(perValue).toBe(Math.floor(2 ** 32 / n));
      expect(sampleWord(limit - 1, n)).toBe(n - 1);
      expect(sampleWord(limit, n)).toBeNull();
    }
  });

  it('maps a table with a non-power-of-two total exactly onto its weights (exhaustive over 16-bit words)', () => {
    // Total 1,000 (not a power of two), weights like a small gacha table.
    const weights = [6, 34, 110, 350, 500];
    const total = 1_000;
    const wordRange = 2 ** 16;
    const counts = new Array<number>(weights.length).fill(0);
    const naive = new Array<number>(weights.length).fill(0);
    for (let word = 0; word < wordRange; word++) {
      const value = sampleWord(word, total, wordRange);
      if (value !== null) counts[pickByPpm(weights, value)]! += 1;
      naive[pickByPpm(weights, word % total)]! += 1;
    }
    const perValue = Math.floor(wordRange / total);
    expect(counts).toEqual(weights.map((w) => w * perValue));
    // Plain `word % total` would favour the values below 2^16 mod 1,000 = 536 — visibly biased.
    expect(naive).not.toEqual(weights.map((w) => (w * wordRange) / total));
    expect(naive[4]).toBeLessThan(500 * (wordRange / total));
  });

  it('rejects exactly the words at or above the limit in the stream itself', () => {
    const rng = new VerifiableRng(INPUTS, { trace: true });
    const n = 3 * 2 ** 30; // accepts only 3/4 of the words: rejections are frequent
    for (let i = 0; i < 200; i++) rng.nextInt(n);
    const trace = rng.trace!;
    const rejected = trace.flatMap((t) => t.words.slice(0, -1));
    expect(rejected.length).toBeGreaterThan(20);
    expect(rejected.every((w) => w >= acceptanceLimit(n))).toBe(true);
    expect(trace.every((t) => t.words.at(-1)! < acceptanceLimit(n) && t.value === t.words.at(-1)! % n)).toBe(true);
  });
});
