/** The test-only seed sealing key (32 bytes, base64): never a production key. */
export const TEST_SEED_KEY = Buffer.alloc(32, 7).toString('base64');
