import type { Rng } from '../../app/domain/rng';

/** Deterministic RNG for tests only (sfc32). Never used by the bot. */
export class SeededRng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  private next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  nextInt(maxExclusive: number): number {
    return Math.floor((this.next() / 0x1_0000_0000) * maxExclusive);
  }
}

/** An RNG that replays fixed draws, for steering a pull to an exact outcome. */
export class ScriptedRng implements Rng {
  private index = 0;
  constructor(private readonly draws: readonly number[]) {}
  nextInt(maxExclusive: number): number {
    const value = this.draws[this.index++];
    if (value === undefined) throw new Error('scripted RNG ran out of draws');
    if (value >= maxExclusive) throw new Error(`scripted draw ${value} >= ${maxExclusive}`);
    return value;
  }
}
