/** Limits for images admins give as card art. */
export const ART_LIMITS = {
  /** Bytes accepted from an upload or URL before anything is decoded. */
  maxInputBytes: 8 * 1024 * 1024,
  minSide: 64,
  maxSide: 4096,
  /** Decoding needs width × height × 4 bytes: 12.6 MP is ~48 MB for a moment, fine on the host. */
  maxPixels: 4096 * 3072,
  /** Stored size: a 320×448 card (5:7) as WebP. */
  width: 320,
  height: 448,
  maxStoredBytes: 200 * 1024,
  fetchTimeoutMs: 10_000,
  maxRedirects: 3,
} as const;
