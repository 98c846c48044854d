/**
 * The verifiable draw stream (docs/fairness.md, "Byte layout"). For one pull, the inputs are the
 * epoch's server seed, the player's client seed, guild, player and the ledger sequence the pull is
 * committed at; each slot of the pull (0 for a single pull, 0–9 for a 10-pull) has its own stream
 * of 32-bit words:
 *
 *   block(slot, b) = HMAC-SHA-256(key = server seed bytes, message = M(slot, b)),  b = 0, 1, 2, …
 *   M = "gacha-bot/draw/v1" ‖ u16be(len) ‖ client seed (UTF-8) ‖ u16be(len) ‖ guild id (UTF-8)
 *       ‖ u16be(len) ‖ user id (UTF-8) ‖ u64be(seq) ‖ u32be(slot) ‖ u32be(b)
 *
 * Each block gives eight words, read as big-endian unsigned 32-bit integers in order. A uniform
 * integer in [0, n) takes the next word w and returns w mod n if w < 2^32 − (2^32 mod n); otherwise
 * the word is discarded and the next one is tried (rejection sampling: every value has exactly
 * ⌊2^32 / n⌋ accepted words, so there is no modulo bias).
 */
import type { Rng } from '../rng';
import { concatBytes, fromHex, utf8 } from './bytes';
import { isClientSeed, isServerSeedHex } from './seeds';
import { type HmacSha256Factory, type KeyedHmacSha256, typescriptHmacSha256 } from './sha256';

export const DRAW_DOMAIN_TAG = 'gacha-bot/draw/v1';
const UINT32_RANGE = 0x1_0000_0000;
const MAX_FIELD_BYTES = 0xffff;

export interface DrawInputs {
  /** The epoch's server seed, 64 lowercase hex digits. */
  readonly serverSeedHex: string;
  readonly clientSeed: string;
  readonly guildId: string;
  readonly userId: string;
  /** Ledger sequence the pull is committed at (a non-negative safe integer). */
  readonly seq: number;
}

function lengthPrefixed(text: string): Uint8Array {
  const bytes = utf8(text);
  if (bytes.length > MAX_FIELD_BYTES) throw new RangeError('draw input field longer than 65535 bytes');
  const out = new Uint8Array(2 + bytes.length);
  new DataView(out.buffer).setUint16(0, bytes.length);
  out.set(bytes, 2);
  return out;
}

function checkInputs(inputs: DrawInputs): void {
  if (!isServerSeedHex(inputs.serverSeedHex)) throw new RangeError('a server seed is 64 lowercase hex digits');
  if (!isClientSeed(inputs.clientSeed)) throw new RangeError('a client seed is 0–64 printable ASCII characters');
  if (!Number.isSafeInteger(inputs.seq) || inputs.seq < 0) throw new RangeError('seq must be a non-negative integer');
}

/** The last key's HMAC: consecutive pulls of an epoch share the server seed (and the primitive). */
let lastKey: {
  readonly hex: string;
  readonly factory: HmacSha256Factory;
  readonly hmac: KeyedHmacSha256;
} | null = null;

function hmacFor(serverSeedHex: string, factory: HmacSha256Factory): KeyedHmacSha256 {
  if (lastKey?.hex !== serverSeedHex || lastKey.factory !== factory) {
    lastKey = { hex: serverSeedHex, factory, hmac: factory(fromHex(serverSeedHex)) };
  }
  return lastKey.hmac;
}

export interface VerifiableRngOptions {
  /** Record every draw (for /gacha verify and the documentation's vectors). */
  readonly trace?: boolean;
  /**
   * The HMAC-SHA-256 primitive. Node callers pass node:crypto's (app/verifier/node-hmac.ts); the
   * default is the plain-TypeScript one, which the browser page uses. Both give identical bytes.
   */
  readonly hmac?: HmacSha256Factory;
}

/** The last player's identity part: consecutive pulls of a player share it (only seq changes). */
let lastIdentity: {
  readonly clientSeed: string;
  readonly guildId: string;
  readonly userId: string;
  readonly bytes: Uint8Array;
} | null = null;

/** Tag, client seed, guild and user: the part of the message before the sequence. */
function identityBytes(inputs: DrawInputs): Uint8Array {
  const last = lastIdentity;
  if (last?.clientSeed === inputs.clientSeed && last.guildId === inputs.guildId && last.userId === inputs.userId) {
    return last.bytes;
  }
  const bytes = concatBytes([
    utf8(DRAW_DOMAIN_TAG),
    lengthPrefixed(inputs.clientSeed),
    lengthPrefixed(inputs.guildId),
    lengthPrefixed(inputs.userId),
  ]);
  lastIdentity = { clientSeed: inputs.clientSeed, guildId: inputs.guildId, userId: inputs.userId, bytes };
  return bytes;
}

/** The fixed part of every message of a pull: tag, client seed, guild, user and sequence. */
function messagePrefix(inputs: DrawInputs): Uint8Array {
  const identity = identityBytes(inputs);
  const prefix = new Uint8Array(identity.length + 8);
  prefix.set(identity);
  new DataView(prefix.buffer).setBigUint64(identity.length, BigInt(inputs.seq));
  return prefix;
}

/** The HMAC message for `slot` and block `block` (exported for the documentation's test vectors). */
export function drawMessage(inputs: DrawInputs, slot: number, block: number): Uint8Array {
  checkInputs(inputs);
  return withSlotAndBlock(messagePrefix(inputs), slot, block);
}

function withSlotAndBlock(prefix: Uint8Array, slot: number, block: number): Uint8Array {
  const message = new Uint8Array(prefix.length + 8);
  message.set(prefix);
  const view = new DataView(message.buffer);
  view.setUint32(prefix.length, slot);
  view.setUint32(prefix.length + 4, block);
  return message;
}

/** The largest accepted word + 1 for a draw in [0, n) from words in [0, wordRange): wordRange − (wordRange mod n). */
export function acceptanceLimit(maxExclusive: number, wordRange = UINT32_RANGE): number {
  return wordRange - (wordRange % maxExclusive);
}

/**
 * Maps one word to a uniform integer in [0, n), or null when the word is rejected. With words
 * uniform in [0, wordRange) (2^32 for the stream), every value has exactly ⌊wordRange / n⌋ words.
 */
export function sampleWord(word: number, maxExclusive: number, wordRange = UINT32_RANGE): number | null {
  return word < acceptanceLimit(maxExclusive, wordRange) ? word % maxExclusive : null;
}

export interface DrawTrace {
  readonly slot: number;
  readonly maxExclusive: number;
  /** Words read for this draw; all but the last were rejected. */
  readonly words: readonly number[];
  readonly value: number;
}

/**
 * An Rng over the verifiable stream of one pull. The pull engine calls `beginSlot(slot)` before
 * each slot; draws then read that slot's words from block 0 on. Built fresh for every pull.
 */
export class VerifiableRng implements Rng {
  private readonly hmac: KeyedHmacSha256;
  private readonly prefix: Uint8Array;
  private slot = 0;
  private block = 0;
  private words: DataView | null = null;
  private wordIndex = 0;
  /** Every draw made, when tracing is on (for /gacha verify and the documentation's vectors). */
  readonly trace: DrawTrace[] | null;

  constructor(
    readonly inputs: DrawInputs,
    options: VerifiableRngOptions = {},
  ) {
    checkInputs(inputs);
    this.hmac = hmacFor(inputs.serverSeedHex, options.hmac ?? typescriptHmacSha256);
    this.prefix = messagePrefix(inputs);
    this.trace = options.trace ? [] : null;
  }

  beginSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= UINT32_RANGE) throw new RangeError('slot out of range');
    this.slot = slot;
    this.block = 0;
    this.words = null;
    this.wordIndex = 0;
  }

  nextInt(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > UINT32_RANGE) {
      throw new RangeError(`maxExclusive must be an integer in [1, 2^32], got ${maxExclusive}`);
    }
    const read: number[] = [];
    for (;;) {
      const word = this.nextWord();
      read.push(word);
      const value = sampleWord(word, maxExclusive);
      if (value !== null) {
        this.trace?.push({ slot: this.slot, maxExclusive, words: read, value });
        return value;
      }
    }
  }

  private nextWord(): number {
    if (!this.words || this.wordIndex === 8) {
      const digest = this.hmac.digest(withSlotAndBlock(this.prefix, this.slot, this.block));
      this.words = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
      this.block++;
      this.wordIndex = 0;
    }
    const word = this.words.getUint32(this.wordIndex * 4);
    this.wordIndex++;
    return word;
  }
}
