/**
 * MongoDB driver options by deployment: the local standalone mongod keeps the driver defaults; a
 * replica set or Atlas gets retryable writes and reads, a majority write concern (an acknowledged
 * charge survives a primary failover) and a secondary read preference for queries that may be a
 * little stale (leaderboards), so they take load off the primary.
 */
import { type DbOptions, type MongoClientOptions, ReadPreference } from 'mongodb';

export type MongoProfile = 'standalone' | 'replica-set';

/** `auto`: a `mongodb+srv://` URI (Atlas) or one naming `replicaSet=` is a replica set. */
export function mongoProfile(uri: string, setting: 'auto' | MongoProfile): MongoProfile {
  if (setting !== 'auto') return setting;
  return uri.startsWith('mongodb+srv://') || /[?&]replicaSet=/i.test(uri) ? 'replica-set' : 'standalone';
}

/** Client options; options written in the URI itself still win over these (driver precedence). */
export function mongoClientOptions(profile: MongoProfile): MongoClientOptions {
  const common = { maxPoolSize: 20, serverSelectionTimeoutMS: 5_000 };
  if (profile === 'standalone') return common;
  return {
    ...common,
    retryWrites: true,
    retryReads: true,
    writeConcern: { w: 'majority', wtimeoutMS: 5_000 },
  };
}

/**
 * Database options for stale-tolerant reads (leaderboards): on a replica set, any secondary no more
 * than 90 s behind, else the primary. On a standalone there is only the primary.
 */
export function staleReadDbOptions(profile: MongoProfile): DbOptions {
  if (profile === 'standalone') return {};
  return { readPreference: staleReadPreference(profile) };
}

/** How far behind the primary a secondary may be for a stale-tolerant read (the driver's minimum is 90 s). */
export const MAX_STALENESS_SECONDS = 90;

/**
 * The read preference of stale-tolerant queries (rankings): secondaryPreferred within
 * MAX_STALENESS_SECONDS on a replica set, the primary on a standalone. Pulls, charges and every
 * other ledger read keep the client default (primary).
 */
export function staleReadPreference(profile: MongoProfile): ReadPreference {
  if (profile === 'standalone') return ReadPreference.primary;
  return new ReadPreference(ReadPreference.SECONDARY_PREFERRED, undefined, {
    maxStalenessSeconds: MAX_STALENESS_SECONDS,
  });
}
