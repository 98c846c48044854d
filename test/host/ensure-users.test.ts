/**
 * `ensure-users.js` (rendered exactly as the release document installs it) against the model of
 * mongod's authorization rules in `mongod-auth-model.ts`: the first user under the localhost
 * exception, idempotent re-runs, password rotation from SSM, never a password in the output.
 * The same script runs twice against a real `mongo:8.0 --auth` in the CI workflow (job
 * `mongodb-users`).
 */
import { DATABASE } from '../../app/contracts/host';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { renderHostFiles } from '../../lib/constructs/release/host-files';
import { MongoServerError, MongodAuthModel, runShellScript } from './mongod-auth-model';

const script = (() => {
  const file = renderHostFiles(ENVIRONMENTS.prod.tuning).find((f) => f.path.endsWith('/ensure-users.js'));
  if (!file) throw new Error('no ensure-users.js');
  return file.content;
})();

interface Passwords {
  admin: string;
  bot: string;
  backup: string;
  previousAdmin?: string;
}

const first: Passwords = { admin: 'adm-Ohm3uP9x', bot: 'bot-Ae7vQ2kd', backup: 'bak-Xu4jT8rw' };

function setUp(server: MongodAuthModel, p: Passwords) {
  const run = runShellScript(server, script, {
    MONGO_ADMIN_PASSWORD: p.admin,
    MONGO_BOT_PASSWORD: p.bot,
    MONGO_BACKUP_PASSWORD: p.backup,
    ...(p.previousAdmin ? { MONGO_ADMIN_PASSWORD_PREVIOUS: p.previousAdmin } : {}),
  });
  const text = `${run.output.join('\n')}\n${run.error?.message ?? ''}`;
  for (const secret of [p.admin, p.bot, p.backup, p.previousAdmin ?? first.admin]) expect(text).not.toContain(secret);
  return run;
}

function authenticates(server: MongodAuthModel, db: string, user: string, pwd: string): boolean {
  try {
    server.connect(true).run(db, 'authenticate', { user, pwd });
    return true;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 18) return false;
    throw error;
  }
}

describe('the mongod authorization model', () => {
  it('refuses everything but the first admin user to an unauthenticated localhost connection', () => {
    const server = new MongodAuthModel();
    const anon = server.connect(true);
    expect(anon.run('admin', 'ping')).toEqual({ ok: 1 });
    expect(() => anon.run('admin', 'usersInfo', { usersInfo: 1 })).toThrow(/requires authentication/);
    expect(() => anon.run(DATABASE.name, 'createUser', { createUser: 'x', pwd: 'p', roles: [] })).toThrow(
      /requires authentication/,
    );
    expect(() => server.connect(false).run('admin', 'createUser', { createUser: 'x', pwd: 'p', roles: [] })).toThrow(
      /requires authentication/,
    );
    anon.run('admin', 'createUser', { createUser: 'root', pwd: 'p', roles: ['root'] });
    // The exception is closed, on this connection too.
    expect(() => anon.run('admin', 'createUser', { createUser: 'y', pwd: 'p', roles: ['root'] })).toThrow(
      /requires authentication/,
    );
    expect(() => anon.run('admin', 'usersInfo', { usersInfo: 1 })).toThrow(/requires authentication/);
    expect(() => anon.run('admin', 'authenticate', { user: 'root', pwd: 'wrong' })).toThrow(/Authentication failed/);
    anon.run('admin', 'authenticate', { user: 'root', pwd: 'p' });
    expect(anon.run('admin', 'usersInfo', { usersInfo: 1 }).users).toHaveLength(1);
  });
});

describe('ensure-users.js under the localhost exception', () => {
  it('creates the admin as the first user, then the bot and backup users with least privilege', () => {
    const server = new MongodAuthModel();
    const run = setUp(server, first);
    expect(run.error).toBeUndefined();
    expect(server.userNamed('admin', DATABASE.adminUser)?.roles).toEqual([{ role: 'root', db: 'admin' }]);
    expect(server.userNamed(DATABASE.name, DATABASE.botUser)?.roles).toEqual([
      { role: 'readWrite', db: DATABASE.name },
    ]);
    expect(server.userNamed(DATABASE.name, DATABASE.backupUser)?.roles).toEqual([{ role: 'read', db: DATABASE.name }]);
    expect(server.userCount).toBe(3);
    expect(authenticates(server, DATABASE.name, DATABASE.botUser, first.bot)).toBe(true);
    expect(authenticates(server, DATABASE.name, DATABASE.backupUser, first.backup)).toBe(true);
    expect(run.output).toContain(`ensure-users: ${DATABASE.adminUser} created (first user, localhost exception)`);
    // Nothing unauthenticated but the one createUser the exception allows.
    const anonymous = server.sent.filter((c) => c.authenticatedAs === null && c.command !== 'authenticate');
    expect(anonymous.map((c) => `${c.db}.${c.command}:${String(c.outcome)}`)).toEqual(['admin.createUser:ok']);
  });

  it('changes nothing when run again', () => {
    const server = new MongodAuthModel();
    expect(setUp(server, first).error).toBeUndefined();
    const again = setUp(server, first);
    expect(again.error).toBeUndefined();
    expect(again.output.join('\n')).not.toMatch(/created|rotated/);
    expect(server.userCount).toBe(3);
    expect(authenticates(server, 'admin', DATABASE.adminUser, first.admin)).toBe(true);
    expect(authenticates(server, DATABASE.name, DATABASE.botUser, first.bot)).toBe(true);
  });

  it('finishes a set-up that stopped after the admin was created', () => {
    const server = new MongodAuthModel();
    server
      .connect(true)
      .run('admin', 'createUser', { createUser: DATABASE.adminUser, pwd: first.admin, roles: ['root'] });
    const run = setUp(server, first);
    expect(run.error).toBeUndefined();
    expect(run.output).toContain(`ensure-users: ${DATABASE.botUser} created`);
    expect(server.userCount).toBe(3);
  });

  it('rotates every password changed in SSM (the admin from its previous SSM version)', () => {
    const server = new MongodAuthModel();
    expect(setUp(server, first).error).toBeUndefined();
    const next: Passwords = {
      admin: 'adm-2nd-Kq9',
      bot: 'bot-2nd-Lm4',
      backup: first.backup,
      previousAdmin: first.admin,
    };
    const run = setUp(server, next);
    expect(run.error).toBeUndefined();
    expect(run.output).toEqual(
      expect.arrayContaining([
        `ensure-users: ${DATABASE.adminUser} password rotated`,
        `ensure-users: ${DATABASE.botUser} password rotated`,
        `ensure-users: ${DATABASE.backupUser} up to date`,
      ]),
    );
    expect(authenticates(server, 'admin', DATABASE.adminUser, next.admin)).toBe(true);
    expect(authenticates(server, 'admin', DATABASE.adminUser, first.admin)).toBe(false);
    expect(authenticates(server, DATABASE.name, DATABASE.botUser, next.bot)).toBe(true);
    expect(authenticates(server, DATABASE.name, DATABASE.botUser, first.bot)).toBe(false);
    // And the rotated state is stable.
    expect(setUp(server, { ...next, previousAdmin: 'adm-2nd-Kq9' }).error).toBeUndefined();
  });

  it('fails clearly, changing nothing, when no known admin password authenticates', () => {
    const server = new MongodAuthModel();
    expect(setUp(server, first).error).toBeUndefined();
    const run = setUp(server, { ...first, admin: 'adm-unknown-1', bot: 'bot-new-Zz1' });
    expect(run.error?.message).toMatch(/neither the current nor the previous SSM version/);
    expect(authenticates(server, DATABASE.name, DATABASE.botUser, first.bot)).toBe(true);
    expect(server.userCount).toBe(3);
  });

  it('refuses to run with a password missing', () => {
    const server = new MongodAuthModel();
    const run = runShellScript(server, script, {
      MONGO_ADMIN_PASSWORD: 'x',
      MONGO_BOT_PASSWORD: '',
      MONGO_BACKUP_PASSWORD: 'y',
    });
    expect(run.error?.message).toMatch(/missing from SSM/);
    expect(server.userCount).toBe(0);
  });
});
