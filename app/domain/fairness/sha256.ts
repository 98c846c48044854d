/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) in plain TypeScript, synchronous and without
 * node:crypto, so the browser verifier page can derive draws (WebCrypto is asynchronous only).
 * The draw stream takes its HMAC-SHA-256 as an injected `HmacSha256Factory`: Node code (the bot,
 * the CLI verifier, the tests) passes node:crypto's (app/verifier/node-hmac.ts, ~10× faster), the
 * page passes `typescriptHmacSha256`. Checked byte for byte against node:crypto in
 * test/fairness/sha256.test.ts and against the documentation's vectors in doc-vectors.test.ts.
 */

/** HMAC-SHA-256 under one fixed key. */
export interface KeyedHmacSha256 {
  /** The 32-byte MAC of `message`. */
  digest(message: Uint8Array): Uint8Array;
}

/** Makes the HMAC-SHA-256 of one key: the injected primitive of the draw stream. */
export type HmacSha256Factory = (key: Uint8Array) => KeyedHmacSha256;

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const BLOCK_BYTES = 64;

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

/** Runs the compression function over every whole 64-byte block of `data` from `offset`. */
function compress(state: Int32Array, data: Uint8Array, offset: number, w: Int32Array): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    w[t] = ((data[i] ?? 0) << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0);
  }
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15] ?? 0;
    const w2 = w[t - 2] ?? 0;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    w[t] = ((w[t - 16] ?? 0) + s0 + (w[t - 7] ?? 0) + s1) | 0;
  }
  let a = state[0] ?? 0;
  let b = state[1] ?? 0;
  let c = state[2] ?? 0;
  let d = state[3] ?? 0;
  let e = state[4] ?? 0;
  let f = state[5] ?? 0;
  let g = state[6] ?? 0;
  let h = state[7] ?? 0;
  for (let t = 0; t < 64; t++) {
    const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + s1 + ch + (K[t] ?? 0) + (w[t] ?? 0)) | 0;
    const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (s0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] ?? 0) + a) | 0;
  state[1] = ((state[1] ?? 0) + b) | 0;
  state[2] = ((state[2] ?? 0) + c) | 0;
  state[3] = ((state[3] ?? 0) + d) | 0;
  state[4] = ((state[4] ?? 0) + e) | 0;
  state[5] = ((state[5] ?? 0) + f) | 0;
  state[6] = ((state[6] ?? 0) + g) | 0;
  state[7] = ((state[7] ?? 0) + h) | 0;
}

/**
 * Hashes `message` starting from a chaining state that has already absorbed `prefixBytes` bytes
 * (0 for plain SHA-256, 64 after an HMAC key block).
 */
function finish(start: Int32Array, prefixBytes: number, message: Uint8Array): Uint8Array {
  const state = Int32Array.from(start);
  const w = new Int32Array(64);
  const whole = message.length - (message.length % BLOCK_BYTES);
  for (let offset = 0; offset < whole; offset += BLOCK_BYTES) compress(state, message, offset, w);
  const restLength = message.length - whole;
  const tailLength = restLength + 9 <= BLOCK_BYTES ? BLOCK_BYTES : 2 * BLOCK_BYTES;
  const tail = new Uint8Array(tailLength);
  tail.set(message.subarray(whole));
  tail[restLength] = 0x80;
  const bits = (prefixBytes + message.length) * 8;
  const view = new DataView(tail.buffer);
  view.setUint32(tailLength - 8, Math.floor(bits / 0x1_0000_0000));
  view.setUint32(tailLength - 4, bits >>> 0);
  for (let offset = 0; offset < tailLength; offset += BLOCK_BYTES) compress(state, tail, offset, w);
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, (state[i] ?? 0) >>> 0);
  return out;
}

export function sha256(message: Uint8Array): Uint8Array {
  return finish(Int32Array.from(INITIAL_STATE), 0, message);
}

/**
 * HMAC-SHA-256 with a fixed key: the key's inner and outer pad blocks are absorbed once, so each
 * message costs two short hashes.
 */
export class HmacSha256 implements KeyedHmacSha256 {
  private readonly inner = Int32Array.from(INITIAL_STATE);
  private readonly outer = Int32Array.from(INITIAL_STATE);

  constructor(key: Uint8Array) {
    const block = new Uint8Array(BLOCK_BYTES);
    block.set(key.length > BLOCK_BYTES ? sha256(key) : key);
    const ipad = block.map((b) => b ^ 0x36);
    const opad = block.map((b) => b ^ 0x5c);
    const w = new Int32Array(64);
    compress(this.inner, ipad, 0, w);
    compress(this.outer, opad, 0, w);
  }

  digest(message: Uint8Array): Uint8Array {
    return finish(this.outer, BLOCK_BYTES, finish(this.inner, BLOCK_BYTES, message));
  }
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new HmacSha256(key).digest(message);
}

/** The plain-TypeScript implementation as a factory (the browser page's primitive). */
export const typescriptHmacSha256: HmacSha256Factory = (key) => new HmacSha256(key);
