/**
 * The real `gacha-bot-patch` (weekly security updates) in a sandboxed host: dnf, rpm and
 * `dnf needs-restarting` are shims driven by the scenario, `gacha-bot-release` a recording shim.
 * No update → nothing restarts; a kernel (reboot required) → the bot slot drains and mongod stops
 * before the reboot; replaced libraries → mongod restarts and the bot restarts blue/green.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hostSandbox } from './host-sandbox';

const PATCH = '/usr/local/sbin/gacha-bot-patch';

function patchHost() {
  const h = hostSandbox();
  mkdirSync(h.paths.root, { recursive: true });
  writeFileSync(path.join(h.paths.root, 'active-slot'), 'green\n');
  writeFileSync(
    h.sys('usr/local/sbin/gacha-bot-release'),
    `#!/bin/bash\necho "gacha-bot-release $*" >>"${path.join(h.root, 'state', 'calls.log')}"\n`,
    { mode: 0o755 },
  );
  return h;
}

describe('gacha-bot-patch', () => {
  it('applies only security advisories of the newest release, and restarts nothing without an update', () => {
    const h = patchHost();
    const run = h.run(PATCH);
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/no security update to apply/);
    expect(h.calls()).toContain('dnf upgrade -y -q --refresh --security --releasever=latest');
    expect(h.calls().filter((c) => /^systemctl (stop|restart|reboot)|^gacha-bot-release/.test(c))).toEqual([]);
  });

  it('drains the bot and stops mongod before rebooting for a new kernel', () => {
    const h = patchHost();
    h.setScenario('dnf.updates', 'kernel-0:6.1.200-1.amzn2023.x86_64\n');
    h.setScenario('needs.reboot', '');
    const run = h.run(PATCH);
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/reboot required.*draining gacha-bot@green/);
    const actions = h.calls().filter((c) => /^systemctl (stop|restart|reboot)|^gacha-bot-release/.test(c));
    expect(actions).toEqual(['systemctl stop gacha-bot@green', 'systemctl stop mongod', 'systemctl reboot']);
  });

  it('restarts mongod and the bot (blue/green) when they run replaced files, without a reboot', () => {
    const h = patchHost();
    h.setScenario('dnf.updates', 'openssl-libs-1:3.0.8-2.amzn2023.x86_64\n');
    h.setScenario('needs.services', 'mongod.service\ngacha-bot@green.service\nchronyd.service\n');
    const run = h.run(PATCH);
    expect(run.status).toBe(0);
    const actions = h.calls().filter((c) => /^systemctl (stop|restart|reboot)|^gacha-bot-release/.test(c));
    expect(actions).toEqual(['systemctl restart mongod', 'gacha-bot-release restart']);
  });

  it('waits for a release in progress (the shared lock) and gives up rather than interleave', async () => {
    const h = patchHost();
    const holder = spawn('flock', [path.join(h.paths.root, '.release.lock'), 'sleep', '10']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const run = h.run(PATCH);
      expect(run.status).not.toBe(0);
      expect(run.out).toMatch(/holds .*\.release\.lock/);
      expect(h.calls().some((c) => c.startsWith('dnf upgrade'))).toBe(false);
    } finally {
      holder.kill();
    }
  });
});
