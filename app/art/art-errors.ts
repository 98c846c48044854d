/**
 * Why an image was refused, as a typed code with its parameters. Player/admin-visible text lives in
 * `art-messages.ts` (Japanese and English); nothing here is shown as it is.
 */
export type ArtErrorCode =
  | 'too-large'
  | 'unsupported-type'
  | 'bad-dimensions'
  | 'undecodable'
  | 'bad-url'
  | 'blocked-address'
  | 'fetch-timeout'
  | 'fetch-failed'
  | 'http-status'
  | 'too-many-redirects'
  | 'cannot-shrink';

export type ArtErrorParams = Readonly<Record<string, string | number>>;

export class ArtError extends Error {
  constructor(
    readonly code: ArtErrorCode,
    message: string,
    readonly params: ArtErrorParams = {},
  ) {
    super(message);
    this.name = 'ArtError';
  }
}
