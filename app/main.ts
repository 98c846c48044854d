/**
 * Bot process entry: validate configuration, open the database, migrate, log in to Discord and
 * answer interactions while a recovery pass settles in the background whatever a crash left
 * unfinished; on SIGTERM/SIGINT stop taking new interactions, finish those in flight, write the
 * queued history (each bounded, within the unit's 30 s stop timeout; recovery writes the rest
 * later), close gateway and database and exit 0.
 */
import os from 'node:os';
import { Events, Status } from 'discord.js';
import type { PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { MongoClient } from 'mongodb';
import { GATEWAY_SHARDS_LOG_MESSAGE } from './contracts/metrics';
import { ConfigError, loadConfig } from './config';
import { mongoClientOptions, mongoProfile, staleReadPreference } from './database-options';
import { createBotClient, learnCommandIds } from './discord/bot-client';
import { allShardsReady, shardHealth } from './discord/shard-status';
import { restAnnouncementPoster, startAnnouncementLoop } from './discord/banner-announcer';
import { COMMANDS } from './discord/command-registry';
import { CommandMentions } from './discord/command-mentions';
import { DEFAULT_MAX_CONCURRENT, InteractionHandler } from './discord/interaction-handler';
import { CloudWatchPublisher } from './metrics/cloudwatch-publisher';
import { instrumentClient, recordInteraction, sampleGateway } from './metrics/bot-metrics';
import { MetricsRecorder } from './metrics/metrics-recorder';
import { startHealthServer } from './observability/health-server';
import { DatabasePoolGauge, EventLoopGauge, StallWatch } from './observability/diagnostics';
import { createBotLoggers } from './observability/log-files';
import { scrubSecrets } from './observability/logger';
import { BannerScheduler } from './services/banner-scheduler';
import { createServices } from './services/create-services';
import { AnnouncementMarks } from './storage/announcement-marks';
import { IdentifyLeases } from './storage/identify-leases';
import { migrate } from './storage/schema';
import { DEFAULT_ROTATION, type RotationPolicy, SeedSealer } from './storage/seed-store';
import { createStores } from './storage/stores';

const RECOVERY_INTERVAL_MS = 5 * 60_000;
const DRAIN_TIMEOUT_MS = 10_000;
/** Shutdown: drain (10 s) + flush (8 s) + closing stays inside systemd's TimeoutStopSec=30. */
const SHUTDOWN_FLUSH_MS = 8_000;
const LAG_SAMPLE_MS = 5_000;
/** How often banner starts and ends are looked for (see banner-scheduler.ts). */
const ANNOUNCE_INTERVAL_MS = 30_000;
/** How long every command slot may be taken with nothing answered before a warning. */
const STALL_WARNING_MS = 30_000;
const STALL_CHECK_MS = 5_000;

/**
 * TEST-ONLY (the overload drill's short form): a smaller projection backlog bound, so a short load
 * reaches it. Read only when NODE_ENV is exactly `test`; the systemd units set NODE_ENV=production,
 * and nothing in the deployment sets GACHA_TEST_* variables.
 */
function testOnlyBacklogItems(): number | undefined {
  if (process.env.NODE_ENV !== 'test') return undefined;
  const items = Number(process.env.GACHA_TEST_PROJECTION_BACKLOG_ITEMS);
  return Number.isInteger(items) && items > 0 ? items : undefined;
}

/**
 * TEST-ONLY: let admins' art links be http://127.0.0.1 (the simulator serves attachments there).
 * Read only when NODE_ENV is exactly `test`; production fetches https from public addresses only.
 */
function testOnlyArtLoopback(): boolean {
  return process.env.NODE_ENV === 'test' && process.env.GACHA_TEST_ART_LOOPBACK === '1';
}

/**
 * TEST-ONLY (the end-to-end fairness test): a short reveal delay, so a test sees its epoch's seed
 * revealed within seconds. Read only when NODE_ENV is exactly `test`, like the backlog bound above.
 */
function testOnlySeedRotation(): RotationPolicy | undefined {
  if (process.env.NODE_ENV !== 'test') return undefined;
  const revealDelayMs = Number(process.env.GACHA_TEST_SEED_REVEAL_DELAY_MS);
  if (!Number.isInteger(revealDelayMs) || revealDelayMs <= 0) return undefined;
  // …and, optionally, a short epoch, so epochs rotate (and are revealed) during a test.
  const maxAgeMs = Number(process.env.GACHA_TEST_SEED_MAX_AGE_MS);
  return {
    ...DEFAULT_ROTATION,
    revealDelayMs,
    ...(Number.isInteger(maxAgeMs) && maxAgeMs > 0 ? { maxAgeMs } : {}),
  };
}

/**
 * TEST-ONLY (the end-to-end announcement test): a shorter interval between scheduler passes. Read
 * only when NODE_ENV is exactly `test`, like the settings above.
 */
function testOnlyAnnounceIntervalMs(): number | undefined {
  if (process.env.NODE_ENV !== 'test') return undefined;
  const ms = Number(process.env.GACHA_TEST_ANNOUNCE_INTERVAL_MS);
  return Number.isInteger(ms) && ms > 0 ? ms : undefined;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const loggers = createBotLoggers(config.LOG_LEVEL, config.LOG_DIR);
  const log = loggers.app;
  process.on('SIGHUP', () => {
    loggers.reopen();
  });
  const profile = mongoProfile(config.MONGODB_URI, config.MONGODB_PROFILE);
  const mongo = new MongoClient(config.MONGODB_URI, mongoClientOptions(profile));
  const pool = new DatabasePoolGauge(mongo);
  await mongo.connect();
  const db = mongo.db(config.MONGODB_DATABASE);
  const applied = await migrate(db);
  const recorder = new MetricsRecorder();
  const backlogItems = testOnlyBacklogItems();
  if (backlogItems !== undefined) log.warn({ backlogItems }, 'TEST-ONLY projection backlog bound in use');
  const seedRotation = testOnlySeedRotation();
  if (seedRotation) log.warn({ ...seedRotation }, 'TEST-ONLY seed rotation in use');
  const stores = createStores(db, {
    staleReads: staleReadPreference(profile),
    seedSealer: new SeedSealer(Buffer.from(config.GACHA_FAIRNESS_SEED_KEY, 'base64')),
    ...(seedRotation ? { seedRotation } : {}),
    ...(backlogItems !== undefined ? { projectionBacklog: { items: backlogItems } } : {}),
    onProjectionError: (error, events) => {
      recorder.countError('projection');
      log.error({ err: error, events }, 'history/read-model write failed; the recovery pass will redo it');
    },
    onCommit: (durationMs, { event, replayed }) => {
      recorder.record('databaseLatency', durationMs);
      if (event.pull && !replayed) recorder.count('pulls', undefined, event.pull.items.length);
    },
  });
  const services = createServices(stores, {
    art: {
      ...(testOnlyArtLoopback() ? { fetch: { allowLoopbackHttp: true } } : {}),
      onRenderError: (error) => {
        recorder.countError('render');
        log.error({ err: error }, 'pull picture could not be drawn; answered without it');
      },
    },
  });
  if (testOnlyArtLoopback()) log.warn('TEST-ONLY loopback http art links allowed');
  const { upkeep } = services;
  log.info({ migrations: applied, profile }, 'database ready');
  const recover = (pass: 'start-up' | 'periodic'): void => {
    upkeep.recover().then(
      (recovered) => {
        if (recovered > 0 || pass === 'start-up') log.info({ recovered, pass }, 'recovery pass finished');
      },
      (error: unknown) => {
        recorder.countError('recovery');
        log.error({ err: error, pass }, 'recovery pass failed');
      },
    );
  };
  // Later passes finish operations that failed mid-way while the process kept running.
  const gatewayLog = log.child({ component: 'gateway' });
  const recovery = setInterval(() => {
    recover('periodic');
  }, RECOVERY_INTERVAL_MS);
  recovery.unref();
  const lagSampler = setInterval(() => {
    recorder.record('projectionLag', upkeep.backlog().lagSeconds);
  }, LAG_SAMPLE_MS);
  lagSampler.unref();

  // A process that owns only some shards shares Discord's IDENTIFY limit with the processes owning
  // the others: its shards identify under database leases. Owning every shard, discord.js alone
  // spaces them.
  const leases = config.sharding.ids === 'all' ? undefined : new IdentifyLeases(db, `${os.hostname()}:${process.pid}`);
  await leases?.ensureIndex();
  const client = createBotClient(
    config.DISCORD_API_BASE,
    config.sharding,
    leases
      ? async (shardId, maxConcurrency, signal) => {
          // Never give discord.js an error (it would identify anyway): a database error is
          // retried until the lease is granted or the shard is closed (the abort rejects).
          for (;;) {
            try {
              const lease = await leases.acquire(shardId % maxConcurrency, shardId, signal);
              gatewayLog.info(
                { shard: shardId, bucket: lease.bucket, slot: lease.slot, skipped: lease.skipped },
                'identify lease',
              );
              return;
            } catch (error) {
              if (signal.aborted) throw error;
              gatewayLog.warn({ err: error, shard: shardId }, 'identify lease failed; retrying');
              await new Promise((resolve) => setTimeout(resolve, 1_000));
            }
          }
        }
      : undefined,
  );
  const mentions = new CommandMentions();
  const announceLog = log.child({ component: 'announcements' });
  const announceInterval = testOnlyAnnounceIntervalMs();
  if (announceInterval !== undefined) log.warn({ announceInterval }, 'TEST-ONLY announcement interval in use');
  const scheduler = new BannerScheduler(
    stores.settings,
    new AnnouncementMarks(db, `${os.hostname()}:${process.pid}`),
    restAnnouncementPoster(client.rest, mentions.mention),
    announceLog,
  );
  const stopAnnouncements = startAnnouncementLoop(scheduler, {
    intervalMs: announceInterval ?? ANNOUNCE_INTERVAL_MS,
    guildIds: () => [...client.guilds.cache.keys()],
    ready: () => client.isReady(),
    onPass: (result) => {
      if (result.posted + result.failed > 0) announceLog.info({ ...result }, 'banner announcements');
    },
    onError: (error) => {
      announceLog.error({ err: error }, 'banner announcement pass failed; the next pass tries again');
    },
  });
  const handler = new InteractionHandler(services, COMMANDS, log.child({ component: 'interactions' }), { mentions });
  const access = loggers.access;
  const stallWatch = new StallWatch(DEFAULT_MAX_CONCURRENT, STALL_WARNING_MS);
  handler.onOutcome = (outcome, interaction) => {
    stallWatch.noteAnswered();
    recordInteraction(recorder, outcome, interaction);
    access.info({ ...outcome, guild: interaction.guildId, user: interaction.user.id }, 'interaction');
  };
  const shardStats = instrumentClient(client, recorder);
  // The AWS SDK is loaded only when metrics are on (it costs memory and start-up time).
  const publisherOptions = {
    environment: config.GACHA_ENV,
    periodMs: config.METRICS_PERIOD_SECONDS * 1000,
    beforeFlush: () => {
      sampleGateway(client, recorder);
      const reconnects = shardStats.takeReconnects();
      // Per-shard figures go to the log (the metrics stay aggregated per process; see bot-metrics).
      if (client.ws.shards.size > 1) {
        const shards = shardHealth(client).map((s) => ({ ...s, reconnects: reconnects.get(s.id) ?? 0 }));
        gatewayLog.info({ shards }, GATEWAY_SHARDS_LOG_MESSAGE);
      }
    },
  };
  const metricsLog = log.child({ component: 'metrics' });
  const publisher = config.METRICS_ENABLED
    ? await (async () => {
        const { CloudWatchClient, PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
        const cloudwatch = new CloudWatchClient({});
        const put = (input: PutMetricDataCommandInput) => cloudwatch.send(new PutMetricDataCommand(input));
        return new CloudWatchPublisher(put, recorder, metricsLog, { ...publisherOptions, logPeriods: true });
      })()
    : config.METRICS_LOG
      ? // The same per-period line, and nothing sent anywhere.
        new CloudWatchPublisher(() => Promise.resolve(), recorder, metricsLog, {
          ...publisherOptions,
          logPeriods: true,
        })
      : undefined;
  if (publisher) publisher.start();
  else log.info('metrics disabled (METRICS_ENABLED is not true): nothing is sent to CloudWatch');
  const eventLoop = new EventLoopGauge();
  const waitingOn = () => ({
    interactions: handler.stats(),
    databasePool: pool.stats(),
    projectionBacklog: upkeep.backlog(),
    discordRestHandlers: client.rest.handlers.size,
  });
  // Where a process that stopped answering is stuck: logged once per stall, and on SIGUSR2.
  const stallChecker = setInterval(() => {
    if (stallWatch.check(handler.stats())) {
      log.warn(
        { ...waitingOn(), eventLoop: eventLoop.take(), stuckForMs: STALL_WARNING_MS },
        'every command slot taken and nothing answered: interactions are stuck',
      );
    }
  }, STALL_CHECK_MS).unref();
  process.on('SIGUSR2', () => {
    log.info({ ...waitingOn(), eventLoop: eventLoop.take() }, 'diagnostics');
  });
  const health = await startHealthServer(
    {
      gatewayReady: () => allShardsReady(client),
      gatewayStatus: () => Status[client.ws.status],
      gatewayShards: () => shardHealth(client),
      pingDatabase: async () => (await db.command({ ping: 1 })).ok === 1,
      lastMetricsFlush: () => publisher?.lastSuccessAt,
      projectionBacklog: () => upkeep.backlog(),
      waitingOn,
    },
    config.HEALTH_PORT,
  );
  log.info({ port: health.port }, 'health endpoint on 127.0.0.1');
  client.on(Events.InteractionCreate, (interaction) => {
    handler.handle(interaction);
  });
  client.once(Events.ClientReady, (ready) => {
    log.info(
      { guilds: ready.guilds.cache.size, user: ready.user.id, shards: [...client.ws.shards.keys()] },
      'gateway ready',
    );
    // Command ids for clickable mentions, read once (replies use plain /name text until then).
    learnCommandIds(ready, mentions).then(
      (known) => {
        log.info({ known }, 'command ids learned for mentions');
      },
      (error: unknown) => {
        log.warn({ err: error }, 'could not read the registered commands; mentions stay plain text');
      },
    );
  });
  client.on(Events.ShardReady, (shardId) => {
    gatewayLog.info({ shard: shardId, shardCount: client.options.shardCount }, 'shard ready');
  });
  client.on(Events.ShardResume, (shardId, replayed) => {
    gatewayLog.info({ shard: shardId, replayed }, 'shard resumed');
  });
  client.on(Events.ShardReconnecting, (shardId) => {
    gatewayLog.warn({ shard: shardId }, 'shard reconnecting');
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    // Unrecoverable close (e.g. 4010 invalid shard, 4011 sharding required): readiness stays 503.
    gatewayLog.error({ shard: shardId, code: event.code }, 'shard disconnected for good');
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    clearInterval(recovery);
    clearInterval(lagSampler);
    clearInterval(stallChecker);
    eventLoop.stop();
    stopAnnouncements();
    void handler
      .drain(DRAIN_TIMEOUT_MS)
      .then((left) => {
        if (left > 0) log.warn({ left }, 'interactions still in flight at shutdown');
        return client.destroy();
      })
      .then(() => upkeep.flushWithin(SHUTDOWN_FLUSH_MS))
      .then((unwritten) => {
        if (unwritten > 0)
          log.warn({ unwritten }, 'history still queued at shutdown; the next recovery pass writes it');
      })
      .then(() => publisher?.stop())
      .then(() => health.close())
      .then(() => mongo.close())
      .then(() => {
        log.info('stopped');
        loggers.flush();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  await client.login(config.DISCORD_TOKEN);
  // After login: the bot answers at once whatever the backlog (players behind read the ledger).
  recover('start-up');
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `fatal: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${scrubSecrets(message)}\n`);
  process.exit(1);
});
