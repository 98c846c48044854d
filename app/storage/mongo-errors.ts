import { MongoServerError } from 'mongodb';

/** True when a write failed only because a unique index already holds the key. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (error instanceof MongoServerError) {
    if (error.code === 11000) return true;
    const writeErrors = (error as MongoServerError & { writeErrors?: { code?: number }[] }).writeErrors;
    if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((w) => w.code === 11000);
  }
  return false;
}
