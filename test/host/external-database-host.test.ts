/**
 * The growth path on the host (issue #20): with DATABASE_MODE=external the set-up installs no
 * mongod, touches no data volume and creates no database users; the bot and the backup get the
 * MongoDB URI whole from SSM (`mongodb-uri`), each host its own shard range by its instance id,
 * and only BACKUP_INSTANCE runs the daily dump.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXTERNAL_DATABASE_URI_SECRET, SECRET_NAMES } from '../../app/contracts/host';
import { hostSandbox } from './host-sandbox';

const SETUP = '/usr/local/sbin/gacha-bot-host-setup';
const ENV = '/usr/local/sbin/gacha-bot-env';
const URI = 'mongodb+srv://gacha-bot:Sec%40ret@cluster0.example.mongodb.net/gacha?retryWrites=true&w=majority';
const FIRST = 'i-0aaaaaaaaaaaaaaa1';
const SECOND = 'i-0bbbbbbbbbbbbbbb2';

function externalHost(instanceId: string) {
  return hostSandbox({
    noDataVolume: true,
    instanceId,
    parameters: { [EXTERNAL_DATABASE_URI_SECRET]: URI },
    hostEnv: [
      'DATABASE_MODE=external',
      'SHARD_COUNT=4',
      `SHARD_RANGES=${FIRST}:0-1,${SECOND}:2-3`,
      `BACKUP_INSTANCE=${FIRST}`,
    ],
  });
}

describe('host set-up with an external database', () => {
  it('installs no MongoDB, mounts no volume, creates no users, and enables the dump only on BACKUP_INSTANCE', () => {
    const first = externalHost(FIRST);
    const run = first.run(SETUP);
    expect(run.out).toMatch(/host-setup: done/);
    expect(run.status).toBe(0);
    const calls = first.calls();
    expect(calls.filter((c) => /\bmongod\b|mongosh|mount|mkfs|blkid|xfs_growfs/.test(c))).toEqual([]);
    // Packages asked for: the usual ones, none of MongoDB's, and no MongoDB repository file.
    expect(calls).toContain('rpm -q nodejs22');
    expect(calls.filter((c) => c.startsWith('rpm -q mongodb'))).toEqual([]);
    expect(existsSync(first.sys('etc/yum.repos.d/mongodb-org-8.0.repo'))).toBe(false);
    expect(calls).toContain('systemctl enable --now --quiet logrotate.timer gacha-bot-backup.timer');
    expect(first.lastUsersEnv()).toEqual({});
    expect(run.out).not.toContain(URI);

    const second = externalHost(SECOND);
    const other = second.run(SETUP);
    expect(other.status).toBe(0);
    expect(other.out).toMatch(/the daily dump runs on i-0aaaaaaaaaaaaaaa1: backup timer off here/);
    expect(second.calls()).toContain('systemctl disable --now --quiet gacha-bot-backup.timer');
    expect(second.calls()).toContain('systemctl enable --now --quiet logrotate.timer');
  });

  it('marks a bot restart when the MongoDB URI changes', () => {
    const h = externalHost(FIRST);
    expect(h.run(SETUP).status).toBe(0);
    const pending = path.join(h.paths.root, 'restart-pending');
    expect(existsSync(pending)).toBe(true);
    const before = h.run(SETUP);
    expect(before.out).not.toMatch(/restart pending/);
    h.putParameter(EXTERNAL_DATABASE_URI_SECRET, `${URI}&appName=gacha`);
    expect(h.run(SETUP).out).toMatch(/bot configuration changed: restart pending/);
  });

  it('refuses an unknown DATABASE_MODE', () => {
    const h = hostSandbox({ hostEnv: ['DATABASE_MODE=atlas'] });
    const run = h.run(SETUP);
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/DATABASE_MODE must be local or external/);
  });
});

describe('gacha-bot-env with an external database', () => {
  const envFile = (h: ReturnType<typeof hostSandbox>, role: string) => path.join(h.paths.runtimeDir, `${role}.env`);

  it("hands the bot the URI from SSM and this instance's shard range; the backup dumps the same URI", () => {
    for (const [instance, shards] of [
      [FIRST, '0-1'],
      [SECOND, '2-3'],
    ] as const) {
      const h = externalHost(instance);
      const run = h.run(ENV, 'green');
      expect(run.status).toBe(0);
      expect(run.out).not.toContain(URI);
      const content = readFileSync(envFile(h, 'green'), 'utf8');
      expect(content).toContain(`MONGODB_URI=${URI}\n`);
      expect(content).toContain(`SHARD_IDS=${shards}\n`);
      expect(h.calls().join('\n')).not.toContain(SECRET_NAMES.mongodbBotPassword);
      expect(h.run(ENV, 'backup').status).toBe(0);
      expect(readFileSync(envFile(h, 'backup'), 'utf8')).toBe(`MONGODB_URI=${URI}\n`);
    }
  });

  it('fails the start when SHARD_RANGES names no range for this instance or IMDS does not answer', () => {
    const stranger = externalHost('i-0ccccccccccccccc3');
    const run = stranger.run(ENV, 'blue');
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/SHARD_RANGES lists no shards for this instance \(i-0ccccccccccccccc3\)/);
    const blind = hostSandbox({
      noDataVolume: true,
      parameters: { [EXTERNAL_DATABASE_URI_SECRET]: URI },
      hostEnv: ['DATABASE_MODE=external', 'SHARD_COUNT=4', `SHARD_RANGES=${FIRST}:0-1`],
    });
    const noImds = blind.run(ENV, 'blue');
    expect(noImds.status).not.toBe(0);
    expect(noImds.out).toMatch(/cannot read an IMDSv2 token/);
  });
});
