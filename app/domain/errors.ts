/** Typed domain errors: a stable code for programs and a clear message for people. */
export type GachaErrorCode =
  | 'invalid-config'
  | 'unknown-banner'
  | 'banner-not-active'
  | 'unknown-item'
  | 'insufficient-currency'
  | 'insufficient-spark'
  | 'invalid-pull-count'
  | 'daily-already-claimed'
  | 'busy'
  | 'trading-disabled'
  | 'invalid-move'
  | 'item-not-owned'
  | 'insufficient-shards'
  | 'move-closed';

export class GachaError extends Error {
  override readonly name = 'GachaError';
  constructor(
    readonly code: GachaErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function isGachaError(error: unknown, code?: GachaErrorCode): error is GachaError {
  return error instanceof GachaError && (code === undefined || error.code === code);
}
