/**
 * The real `gacha-bot-host-setup` and `gacha-bot-env` (rendered as the release document installs
 * them) in a sandboxed host (`host-sandbox.ts`): what they install, restart and enable, how they
 * hand SSM's secrets over, and that a failed SSM read stops them loudly without leaking a value.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SECRET_NAMES } from '../../app/contracts/host';
import { SYSTEMD_UNITS } from '../../lib/constructs/release/host-files';
import { SECRETS, hostSandbox } from './host-sandbox';

const SETUP = '/usr/local/sbin/gacha-bot-host-setup';
const ENV = '/usr/local/sbin/gacha-bot-env';

function expectNoSecret(text: string, ...more: string[]) {
  for (const secret of [...Object.values(SECRETS), ...more]) expect(text).not.toContain(secret);
}

describe('gacha-bot-host-setup', () => {
  it('installs every unit, starts mongod, enables the logrotate and backup timers, creates the users', () => {
    const h = hostSandbox();
    const run = h.run(SETUP);
    expect(run.out).toMatch(/host-setup: done/);
    expect(run.status).toBe(0);
    expectNoSecret(run.out);
    for (const unit of SYSTEMD_UNITS) expect(existsSync(h.sys(`etc/systemd/system/${unit}`))).toBe(true);
    const calls = h.calls();
    expect(calls).toContain('systemctl daemon-reload');
    expect(calls).toContain('systemctl restart mongod');
    expect(calls).toContain('systemctl enable --now --quiet logrotate.timer gacha-bot-backup.timer');
    expect(readFileSync(h.sys('etc/mongod.conf'), 'utf8')).toContain('authorization: enabled');
    expect(h.lastUsersEnv()).toEqual({
      MONGO_ADMIN_PASSWORD: SECRETS[SECRET_NAMES.mongodbAdminPassword],
      MONGO_ADMIN_PASSWORD_PREVIOUS: '',
      MONGO_BOT_PASSWORD: SECRETS[SECRET_NAMES.mongodbBotPassword],
      MONGO_BACKUP_PASSWORD: SECRETS[SECRET_NAMES.mongodbBackupPassword],
    });
    // No password on any command line.
    expectNoSecret(calls.join('\n'));
    expect(readFileSync(path.join(h.paths.root, 'restart-pending'), 'utf8')).toMatch(/bot configuration changed/);
  });

  it("retires the weekly dnf unit of earlier releases (OS updates are Patch Manager's now)", () => {
    const h = hostSandbox();
    mkdirSync(h.sys('etc/systemd/system'), { recursive: true });
    mkdirSync(h.sys('usr/local/sbin'), { recursive: true });
    for (const old of ['gacha-bot-patch.timer', 'gacha-bot-patch.service']) {
      writeFileSync(h.sys(`etc/systemd/system/${old}`), '[Unit]\n');
    }
    writeFileSync(h.sys('usr/local/sbin/gacha-bot-patch'), '#!/bin/bash\n');
    const run = h.run(SETUP);
    expect(run.status).toBe(0);
    expect(h.calls()).toContain('systemctl disable --now --quiet gacha-bot-patch.timer');
    for (const gone of ['etc/systemd/system/gacha-bot-patch.timer', 'etc/systemd/system/gacha-bot-patch.service']) {
      expect(existsSync(h.sys(gone))).toBe(false);
    }
    expect(existsSync(h.sys('usr/local/sbin/gacha-bot-patch'))).toBe(false);
    expect(SYSTEMD_UNITS.some((u) => u.includes('patch'))).toBe(false);
  });

  it('restarts nothing when nothing changed, and mongod when its configuration changed', () => {
    const h = hostSandbox();
    expect(h.run(SETUP).status).toBe(0);
    const pending = path.join(h.paths.root, 'restart-pending');
    rmSync(pending); // (the release step performs the restart and removes the mark)
    h.clearCalls();
    expect(h.run(SETUP).status).toBe(0);
    expect(h.calls()).not.toContain('systemctl daemon-reload');
    expect(h.calls()).not.toContain('systemctl restart mongod');
    expect(existsSync(pending)).toBe(false);

    writeFileSync(path.join(h.paths.configDir, 'mongod.conf'), '# changed\n', { flag: 'a' });
    h.clearCalls();
    const changed = h.run(SETUP);
    expect(changed.status).toBe(0);
    expect(changed.out).toMatch(/mongod configuration changed: restarting mongod/);
    expect(h.calls()).toContain('systemctl restart mongod');

    writeFileSync(path.join(h.paths.configDir, 'units/mongod.service.d/50-gacha-hardening.conf'), '# changed\n', {
      flag: 'a',
    });
    h.clearCalls();
    expect(h.run(SETUP).status).toBe(0);
    expect(h.calls()).toEqual(expect.arrayContaining(['systemctl daemon-reload', 'systemctl restart mongod']));
    expect(existsSync(pending)).toBe(false);
  });

  it('marks a bot restart when its unit, the Discord token or its password changed', () => {
    const h = hostSandbox();
    const pending = path.join(h.paths.root, 'restart-pending');
    const settle = () => {
      expect(h.run(SETUP).status).toBe(0);
      rmSync(pending, { force: true });
      expect(h.run(SETUP).status).toBe(0);
      expect(existsSync(pending)).toBe(false);
    };
    settle();
    writeFileSync(path.join(h.paths.configDir, 'units/gacha-bot@.service'), '# changed\n', { flag: 'a' });
    expect(h.run(SETUP).status).toBe(0);
    expect(existsSync(pending)).toBe(true);
    settle();
    h.putParameter(SECRET_NAMES.discordToken, 'new-token-value');
    expect(h.run(SETUP).status).toBe(0);
    expect(existsSync(pending)).toBe(true);
    settle();
    h.putParameter(SECRET_NAMES.mongodbBotPassword, 'new-bot-password');
    const run = h.run(SETUP);
    expect(run.status).toBe(0);
    expect(existsSync(pending)).toBe(true);
    expect(h.lastUsersEnv().MONGO_BOT_PASSWORD).toBe('new-bot-password');
    expectNoSecret(run.out, 'new-bot-password', 'new-token-value');
  });

  it('hands ensure-users the admin password MongoDB has when SSM has a new one', () => {
    const h = hostSandbox();
    expect(h.run(SETUP).status).toBe(0);
    h.putParameter(SECRET_NAMES.mongodbAdminPassword, 'adm-second');
    expect(h.run(SETUP).status).toBe(0);
    expect(h.lastUsersEnv().MONGO_ADMIN_PASSWORD).toBe('adm-second');
    expect(h.lastUsersEnv().MONGO_ADMIN_PASSWORD_PREVIOUS).toBe(SECRETS[SECRET_NAMES.mongodbAdminPassword]);
    // Applied: the next run has nothing to rotate from.
    expect(h.run(SETUP).status).toBe(0);
    expect(h.lastUsersEnv().MONGO_ADMIN_PASSWORD_PREVIOUS).toBe('');
    // Rotated twice between two set-ups: still the version MongoDB has (recorded), not the one before.
    h.putParameter(SECRET_NAMES.mongodbAdminPassword, 'adm-third');
    h.putParameter(SECRET_NAMES.mongodbAdminPassword, 'adm-fourth');
    expect(h.run(SETUP).status).toBe(0);
    expect(h.lastUsersEnv().MONGO_ADMIN_PASSWORD_PREVIOUS).toBe('adm-second');
  });

  it('stops loudly, before touching users, when a secret cannot be read or is empty', () => {
    const h = hostSandbox();
    h.breakParameter(SECRET_NAMES.mongodbBotPassword);
    const broken = h.run(SETUP);
    expect(broken.status).not.toBe(0);
    expect(broken.out).toMatch(/cannot read \/gacha-bot\/staging\/mongodb-bot-password from SSM/);
    expect(h.calls().some((c) => c.startsWith('mongosh --quiet --nodb'))).toBe(false);
    expectNoSecret(broken.out);

    const empty = hostSandbox();
    empty.putParameter(SECRET_NAMES.mongodbBackupPassword, '');
    const run = empty.run(SETUP);
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/mongodb-backup-password is empty in SSM/);
  });

  it('fails when ensure-users fails (and records no admin version)', () => {
    const h = hostSandbox();
    h.setScenario('mongosh.exit', '1');
    expect(h.run(SETUP).status).not.toBe(0);
    expect(existsSync(h.sys('var/lib/gacha-bot-host/admin-password-version'))).toBe(false);
  });
});

describe('gacha-bot-env (ExecStartPre of the bot and the backup)', () => {
  const envFile = (h: ReturnType<typeof hostSandbox>, role: string) => path.join(h.paths.runtimeDir, `${role}.env`);

  it('writes the token and a URI with the URL-encoded password, root-only', () => {
    const h = hostSandbox();
    const run = h.run(ENV, 'blue');
    expect(run.status).toBe(0);
    expectNoSecret(run.out);
    const content = readFileSync(envFile(h, 'blue'), 'utf8');
    expect(content).toContain(`DISCORD_TOKEN=${SECRETS[SECRET_NAMES.discordToken]}\n`);
    expect(content).toContain(
      `MONGODB_URI=mongodb://gacha-bot:${encodeURIComponent(SECRETS[SECRET_NAMES.mongodbBotPassword])}@127.0.0.1:27017/gacha?authSource=gacha\n`,
    );
    expect(content).toContain('HEALTH_PORT=8081\n');
    expect(content).toContain(`GACHA_FAIRNESS_SEED_KEY=${SECRETS[SECRET_NAMES.fairnessSeedKey]}\n`);
    expectNoSecret(h.calls().join('\n'));
    const backup = h.run(ENV, 'backup');
    expect(backup.status).toBe(0);
    expect(readFileSync(envFile(h, 'backup'), 'utf8')).toMatch(/^MONGODB_URI=mongodb:\/\/gacha-backup:bak-pw-3@/);
    // The backup copies sealed seeds only: it never gets the key that opens them.
    expect(readFileSync(envFile(h, 'backup'), 'utf8')).not.toContain('GACHA_FAIRNESS_SEED_KEY');
  });

  it('fails the start (no env file, never an empty token) when SSM cannot be read', () => {
    const h = hostSandbox();
    expect(h.run(ENV, 'green').status).toBe(0);
    h.breakParameter(SECRET_NAMES.discordToken);
    const run = h.run(ENV, 'green');
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/cannot read \/gacha-bot\/staging\/discord-token from SSM/);
    expect(existsSync(envFile(h, 'green'))).toBe(false);
  });

  it('fails the start when a secret is empty', () => {
    const h = hostSandbox();
    h.putParameter(SECRET_NAMES.discordToken, '');
    const run = h.run(ENV, 'blue');
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/discord-token is empty in SSM/);
    expect(existsSync(envFile(h, 'blue'))).toBe(false);
  });
});
