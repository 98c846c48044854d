/**
 * node:crypto's HMAC-SHA-256 as the draw stream's primitive, for Node code (the bot, the CLI
 * verifier, the tests). The browser page keeps the plain-TypeScript one; both give identical bytes
 * (test/fairness/sha256.test.ts). Not imported by web/verifier.
 */
import { createHmac } from 'node:crypto';
import type { HmacSha256Factory } from '../domain/fairness/sha256';

export const nodeHmacSha256: HmacSha256Factory = (key) => {
  const copy = Buffer.from(key);
  return { digest: (message) => createHmac('sha256', copy).update(message).digest() };
};
