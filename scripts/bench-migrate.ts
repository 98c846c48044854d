/**
 * `npm run bench:migrate -- --players 100000` — the migration's downtime for a dataset of that
 * size: seeds the players (a grant and `--pulls` pulls each) into a source database — `--templates`
 * players (default 2 per guild) through the services, every other one as a bulk copy of a
 * template of its guild (scripts/lib/bulk-seed.ts: its own ids, history from the real
 * `historyDocs`, the ledger audit checks it like any player) — runs the bulk copy and its audit, lets `--late` of the players pull once more (the bot kept running),
 * then times the final delta (what the bot is stopped for): delta copy, recovery pass, ledger audit of the delta players.
 * Uses MONGODB_URI if set, else starts the FerretDB test server (on PostgreSQL with
 * FERRETDB_POSTGRESQL_URL). Source and target are two databases of the same server: the figure
 * leaves out the network to Atlas (add the delta's size over the link). Run it on a quiet machine only; the databases are dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { MongoClient } from 'mongodb';
import { createServices } from '../app/services/create-services';
import { collections } from '../app/storage/collections';
import { createStores } from '../app/storage/stores';
import { migrate } from '../app/storage/schema';
import { startFerretdb } from '../test/support/mongo-server';
import { cloneTemplatePlayers } from './lib/bulk-seed';
import { copyAll, copyFinalDelta } from './lib/migrate-database';

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
}

let idCounter = 0;
function snowflake(): string {
  idCounter++;
  return `${1_300_000_000_000_000_000n + BigInt(Date.now() % 1_000_000) * 1_000_000n + BigInt(idCounter)}`;
}

async function main(): Promise<void> {
  // The recovery pass after the copy opens the fairness seed store; a benchmark's databases are
  // throwaway, so a fresh key stands in for the production SecureString when none is set.
  process.env.GACHA_FAIRNESS_SEED_KEY ??= randomBytes(32).toString('base64');
  const playerCount = numberArg('--players', 1_000);
  const pulls = numberArg('--pulls', 3);
  const lateFraction = numberArg('--late', 0.05);
  const concurrency = numberArg('--concurrency', 16);
  // The seed is flushed before the copy begins, so no commit is in flight at the mark: a short
  // margin keeps the seed itself out of the delta (the command's default is 5 minutes).
  const marginMs = numberArg('--margin-ms', 1_000);
  const server = process.env.MONGODB_URI ? undefined : await startFerretdb(() => undefined);
  const uri = process.env.MONGODB_URI ?? server?.uri ?? '';
  const client = new MongoClient(uri, { maxPoolSize: concurrency + 4 });
  await client.connect();
  const tag = randomBytes(4).toString('hex');
  const source = client.db(`bench_migrate_src_${tag}`);
  const target = client.db(`bench_migrate_dst_${tag}`);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    await migrate(source);
    const svc = createServices(createStores(source, { settingsCacheTtlMs: 0, projectionDelayMs: 0 }));
    const guilds = Array.from({ length: Math.max(1, Math.ceil(playerCount / 1_000)) }, () => snowflake());
    const players = Array.from({ length: playerCount }, (_, i) => ({
      guildId: guilds[i % guilds.length] ?? '',
      userId: snowflake(),
    }));
    for (const guildId of guilds) {
      await svc.admin.changeSettings(guildId, 'bench', 'cooldown', (current) => ({
        ...current,
        cooldownSeconds: { pull: 0, other: 0 },
      }));
    }
    const seeded = Date.now();
    const each = async (list: typeof players, work: (p: (typeof players)[number]) => Promise<void>) => {
      for (let i = 0; i < list.length; i += concurrency) await Promise.all(list.slice(i, i + concurrency).map(work));
    };
    // Player i is in guild i mod G; with a multiple of G templates, template i mod T shares its guild.
    const templateCount = Math.min(playerCount, numberArg('--templates', guilds.length * 2));
    const templates = players.slice(0, templateCount);
    await each(templates, async (p) => {
      await svc.gacha.grant(p, 'bench-seed', 100_000, 'bench seed', null);
      for (let n = 0; n < pulls; n++)
        await svc.gacha.pull({ ...p, interactionId: snowflake() }, { count: n % 2 ? 10 : 1 });
    });
    await svc.upkeep.flush();
    // The copies played an hour ago (their events and history dated so): a bot that has been up for
    // a while, whose recovery checkpoint (below) is recent, looks again only at recent events.
    const cloned = await cloneTemplatePlayers(
      source,
      templates,
      players.slice(templateCount),
      snowflake,
      undefined,
      60 * 60_000,
    );
    // A running bot's periodic recovery pass (every 5 minutes, app/main.ts) keeps the checkpoint
    // recent; the seeded players are settled (history and read model written with their events),
    // so the checkpoint is set as such a pass would leave it, instead of a pass over every player.
    await collections(source).meta.updateOne(
      { _id: 'recovery' },
      { $set: { checkpoint: new Date() } },
      { upsert: true },
    );
    await new Promise((resolve) => setTimeout(resolve, marginMs));
    out(
      `seed: ${playerCount} players × (1 grant + ${pulls} pulls) in ${((Date.now() - seeded) / 1000).toFixed(1)} s ` +
        `(${templateCount} through the services, ${cloned.events} events and ${cloned.history} history records copied in bulk)`,
    );

    const copied = await copyAll(source, target, undefined, { log: out });
    out(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    out(
      `copy (bot running): ${copied.documents} documents, ${(copied.durationMs / 1000).toFixed(1)} s; ` +
        `bulk audit ${(copied.bulkAudit.durationMs / 1000).toFixed(1)} s (${copied.bulkAudit.problems} problems, ` +
        `${copied.bulkAudit.flaggedPlayers.length} players flagged)`,
    );
    const late = players.slice(0, Math.round(playerCount * lateFraction));
    await each(late, async (p) => {
      await svc.gacha.pull({ ...p, interactionId: snowflake() }, { count: 1 });
    });
    await svc.upkeep.flush();

    out(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; final delta (bot stopped):`,
    );
    const final = await copyFinalDelta(source, target, copied.highWaterMark, marginMs, {
      log: out,
      flaggedPlayers: copied.bulkAudit.flaggedPlayers,
    });
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    out(
      `final delta (bot stopped): ${final.deltaDocuments} documents; copy ${s(final.deltaMs)}, recovery ${s(final.recoveryMs)}, audit ${s(final.auditMs)}`,
    );
    out(
      `audit: ${final.audit.players} players (the delta's), ${final.audit.events} events, ${final.audit.problems.length} problems; ` +
        `ledger ${final.targetLedgerEvents} events (source ${final.sourceLedgerEvents})`,
    );
    out(`DOWNTIME ${s(final.durationMs)} for ${playerCount} players (${late.length} pulled after the copy)`);
    if (!final.ready) process.exitCode = 1;
  } finally {
    await source.dropDatabase().catch(() => undefined);
    await target.dropDatabase().catch(() => undefined);
    await client.close();
    await server?.stop();
  }
}

void main();
