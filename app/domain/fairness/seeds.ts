/**
 * Server seeds, their commitments and client seeds. A server seed is 32 random bytes written as
 * 64 lowercase hex digits; its commitment is SHA-256 over those 32 bytes (not over the hex text),
 * also in lowercase hex. A client seed is what a player chose: 0 to 64 printable ASCII characters
 * without spaces; the empty string is the default for a player who never chose one.
 */
import { fromHex, toHex } from './bytes';
import { sha256 } from './sha256';

export const SERVER_SEED_BYTES = 32;
export const CLIENT_SEED_MAX_LENGTH = 64;
export const DEFAULT_CLIENT_SEED = '';

const SERVER_SEED_HEX = /^[0-9a-f]{64}$/;
const CLIENT_SEED = /^[\x21-\x7e]{0,64}$/;

export function isServerSeedHex(value: string): boolean {
  return SERVER_SEED_HEX.test(value);
}

export function isClientSeed(value: string): boolean {
  return CLIENT_SEED.test(value);
}

/** SHA-256 of the seed's 32 bytes, lowercase hex: what is published before the epoch starts. */
export function seedCommitment(serverSeedHex: string): string {
  if (!isServerSeedHex(serverSeedHex)) throw new RangeError('a server seed is 64 lowercase hex digits');
  return toHex(sha256(fromHex(serverSeedHex)));
}
