import { randomBytes } from 'node:crypto';

/** Source of uniform integers. Production uses SecureRng; tests may inject a seeded one. */
export interface Rng {
  /** A uniform integer in [0, maxExclusive); maxExclusive is an integer in [1, 2^32]. */
  nextInt(maxExclusive: number): number;
  /**
   * Called by the pull engine before each slot of a pull (0 for a single pull, 0–9 for a 10-pull).
   * Streams with one sequence of draws per slot (the verifiable stream) start that slot's sequence;
   * others ignore it.
   */
  beginSlot?(slot: number): void;
}

const UINT32_RANGE = 0x1_0000_0000;

/**
 * Cryptographically secure RNG over node:crypto, buffered (one randomBytes call per 16 KiB) and
 * unbiased by rejection sampling.
 */
export class SecureRng implements Rng {
  private buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(private readonly bufferBytes = 16_384) {}

  nextInt(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > UINT32_RANGE) {
      throw new RangeError(`maxExclusive must be an integer in [1, 2^32], got ${maxExclusive}`);
    }
    const limit = UINT32_RANGE - (UINT32_RANGE % maxExclusive);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % maxExclusive;
    }
  }

  private nextUint32(): number {
    if (this.offset + 4 > this.buffer.length) {
      this.buffer = randomBytes(this.bufferBytes);
      this.offset = 0;
    }
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }
}
