/** The plain-TypeScript SHA-256 and HMAC-SHA-256 agree with node:crypto on every length around the block edges. */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { toHex, fromHex, utf8 } from '../../app/domain/fairness/bytes';
import { HmacSha256, hmacSha256, sha256, typescriptHmacSha256 } from '../../app/domain/fairness/sha256';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';

describe('sha256', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto for every message length from 0 to 200 bytes', () => {
    for (let length = 0; length <= 200; length++) {
      const message = randomBytes(length);
      expect(toHex(sha256(message))).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });
});

describe('hmacSha256', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(toHex(hmacSha256(utf8('Jefe'), utf8('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('matches node:crypto for keys of 0–100 bytes and messages of 0–150 bytes', () => {
    for (let i = 0; i < 300; i++) {
      const key = randomBytes(i % 101);
      const message = randomBytes((i * 7) % 151);
      const expected = createHmac('sha256', key).update(message).digest('hex');
      expect(toHex(hmacSha256(key, message))).toBe(expected);
      const reused = new HmacSha256(key);
      expect(toHex(reused.digest(message))).toBe(expected);
      expect(toHex(reused.digest(message))).toBe(expected);
    }
  });

  it('the two injectable primitives (node:crypto, plain TypeScript) give the same bytes, key reused', () => {
    for (let i = 0; i < 300; i++) {
      const key = randomBytes(i % 101);
      const node = nodeHmacSha256(key);
      const typescript = typescriptHmacSha256(key);
      for (let j = 0; j < 3; j++) {
        const message = randomBytes((i * 7 + j * 13) % 151);
        expect(toHex(node.digest(message))).toBe(toHex(typescript.digest(message)));
        expect(toHex(node.digest(message))).toBe(createHmac('sha256', key).update(message).digest('hex'));
      }
    }
  });
});

describe('hex', () => {
  it('round-trips and rejects anything but lowercase hex', () => {
    const bytes = randomBytes(32);
    expect(fromHex(toHex(bytes))).toEqual(new Uint8Array(bytes));
    expect(() => fromHex('ABCD')).toThrow(RangeError);
    expect(() => fromHex('abc')).toThrow(RangeError);
  });
});
