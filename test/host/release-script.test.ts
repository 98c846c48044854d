/**
 * Runs the real `gacha-bot-release` script (rendered exactly as the release document installs it)
 * against a temporary root, with systemctl, curl, aws and unzip replaced by small shims that
 * record calls and simulate the units. Checks the blue/green order (the new slot is ready before
 * the old one stops), failure handling, rollback and pruning.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOST_PATHS } from '../../app/contracts/host';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { renderHostFiles } from '../../lib/constructs/release/host-files';
import { activeSlot, crash, run, runningRelease, sandbox } from './release-sandbox';

describe('gacha-bot-release (blue/green on one host)', () => {
  it('starts the new slot, waits until it is ready, then stops the old one', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    s.publish('r2', 'console.log(2)');
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    expect(activeSlot(s)).toBe('blue');
    expect(runningRelease(s, 'blue')).toBe('r1');

    const before = s.calls().length;
    const second = run(s, 'install', 'bucket', 'r2.zip', 'r2');
    expect(second.status).toBe(0);
    expect(activeSlot(s)).toBe('green');
    expect(runningRelease(s, 'green')).toBe('r2');
    expect(runningRelease(s, 'blue')).toBeUndefined();
    const calls = s.calls().slice(before);
    const started = calls.indexOf('systemctl restart gacha-bot@green');
    const stopped = calls.indexOf('systemctl stop gacha-bot@blue');
    expect(started).toBeGreaterThanOrEqual(0);
    expect(stopped).toBeGreaterThan(started);
    expect(readFileSync(path.join(s.paths.root, 'release-history'), 'utf8')).toBe('r1\nr2\n');
    expect(path.basename(readFileSync(path.join(s.root, 'state', 'green.running'), 'utf8').trim())).toBe('r2');
  });

  it('keeps the running release when the new one never gets ready, and fails loudly', () => {
    const s = sandbox();
    s.publish('good', 'console.log("ok")');
    s.publish('bad', 'BROKEN');
    expect(run(s, 'install', 'bucket', 'good.zip', 'good').status).toBe(0);
    const failed = run(s, 'install', 'bucket', 'bad.zip', 'bad');
    expect(failed.status).not.toBe(0);
    expect(failed.out).toMatch(/did not become ready/);
    expect(activeSlot(s)).toBe('blue');
    expect(runningRelease(s, 'blue')).toBe('good');
    expect(runningRelease(s, 'green')).toBeUndefined();
  });

  it('does nothing when the active release is installed again (association re-runs)', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    const again = run(s, 'install', 'bucket', 'r1.zip', 'r1');
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/already active/);
    expect(s.calls().filter((c) => c.startsWith('aws ')).length).toBe(1);
  });

  it('rolls back to the previous release with one command, and forward again', () => {
    const s = sandbox();
    for (const id of ['r1', 'r2']) {
      s.publish(id, `console.log("${id}")`);
      expect(run(s, 'install', 'bucket', `${id}.zip`, id).status).toBe(0);
    }
    const back = run(s, 'rollback');
    expect(back.status).toBe(0);
    expect(runningRelease(s, activeSlot(s))).toBe('r1');
    expect(run(s, 'rollback').status).toBe(0);
    expect(runningRelease(s, activeSlot(s))).toBe('r2');
    expect(run(s, 'status').out).toMatch(/active release: r2/);
    expect(run(s, 'health').out).toMatch(/ready/);
  });

  it('keeps the last five releases on disk and rejects unsafe release ids', () => {
    const s = sandbox();
    for (let i = 1; i <= 7; i += 1) {
      s.publish(`r${i}`, `console.log(${i})`);
      expect(run(s, 'install', 'bucket', `r${i}.zip`, `r${i}`).status).toBe(0);
    }
    expect(readdirSync(s.paths.releases).sort()).toEqual(['r3', 'r4', 'r5', 'r6', 'r7']);
    const evil = run(s, 'activate', '../../etc');
    expect(evil.status).not.toBe(0);
    expect(evil.out).toMatch(/invalid release id/);
  });
});

describe('gacha-bot-release restarts and health', () => {
  it('restarts the active release blue/green when the host set-up marked a restart as pending', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    writeFileSync(path.join(s.paths.root, 'restart-pending'), 'bot unit changed\n');
    expect(run(s, 'status').out).toMatch(/restart pending: bot unit changed/);
    const again = run(s, 'install', 'bucket', 'r1.zip', 'r1');
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/restarting it \(bot unit changed\)/);
    expect(activeSlot(s)).toBe('green');
    expect(runningRelease(s, 'green')).toBe('r1');
    expect(runningRelease(s, 'blue')).toBeUndefined();
    // Done: the next run is a no-op again.
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').out).toMatch(/already active/);
  });

  it('restarts by hand with the same zero-downtime switch', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    expect(run(s, 'restart').status).not.toBe(0);
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    const before = s.calls().length;
    expect(run(s, 'restart').status).toBe(0);
    const calls = s.calls().slice(before);
    expect(calls.indexOf('systemctl restart gacha-bot@green')).toBeLessThan(
      calls.indexOf('systemctl stop gacha-bot@blue'),
    );
    expect(runningRelease(s, 'green')).toBe('r1');
  });

  it('reports the active slot unit and fails health when that unit is not running', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    expect(run(s, 'status').out).toMatch(/active release: r1\nactive slot unit: active\n/);
    crash(s, 'blue');
    expect(run(s, 'status').out).toMatch(/active slot unit: inactive/);
    const health = run(s, 'health');
    expect(health.status).not.toBe(0);
    expect(health.out).toMatch(/not running/);
  });
});

describe('host files', () => {
  const files = renderHostFiles(ENVIRONMENTS.prod.tuning);
  const byName = (suffix: string): string => {
    const file = files.find((f) => f.path.endsWith(suffix));
    if (!file) throw new Error(`no ${suffix}`);
    return file.content;
  };

  it('are all rendered (no placeholder left) and the shell scripts parse', () => {
    for (const file of files) expect(file.content).not.toMatch(/@@[A-Z_]+@@/);
    for (const file of files.filter((f) => f.mode === '0755')) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-sh-'));
      const target = path.join(dir, 'script');
      writeFileSync(target, file.content);
      chmodSync(target, 0o755);
      expect(spawnSync('bash', ['-n', target]).status).toBe(0);
    }
  });

  it('run the bot under a hardened unit with a memory cap, malloc settings, restart delay and secrets from SSM', () => {
    const unit = byName('gacha-bot@.service');
    for (const directive of [
      'User=gacha-bot',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
      'Restart=on-failure',
      'RestartSec=15',
      `MemoryMax=${ENVIRONMENTS.prod.tuning.botMemoryMaxMb}M`,
      `ExecStart=/usr/bin/node-22 --max-old-space-size=${ENVIRONMENTS.prod.tuning.botHeapMb} --max-semi-space-size=2 `,
      'ExecStartPre=+/usr/local/sbin/gacha-bot-env %i',
      `ReadWritePaths=${HOST_PATHS.logDir}`,
      'Environment=MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=65536 MALLOC_TRIM_THRESHOLD_=131072',
    ]) {
      expect(unit).toContain(directive);
    }
    expect(unit).not.toMatch(/DISCORD_TOKEN=|MONGODB_URI=/);
  });

  it('configure MongoDB on loopback with authentication and a capped cache', () => {
    const conf = byName('mongod.conf');
    expect(conf).toContain('bindIp: 127.0.0.1');
    expect(conf).toContain('authorization: enabled');
    expect(conf).toContain(`cacheSizeGB: ${ENVIRONMENTS.prod.tuning.mongoCacheGb}`);
    expect(byName('ensure-users.js')).toContain("role: 'read'");
  });

  it('never put a secret on a command line', () => {
    const env = byName('gacha-bot-env');
    expect(env).toContain('--with-decryption');
    expect(env).toMatch(/umask 077/);
    const setup = byName('gacha-bot-host-setup');
    expect(setup).not.toMatch(/mongosh[^\n]*\s(-p|--password)(\s|=)/);
  });
});
