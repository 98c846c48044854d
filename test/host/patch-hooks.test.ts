/**
 * The OS patch hooks SSM Patch Manager runs around its updates (AWS-RunPatchBaselineWithHooks:
 * the pre-install hook runs `gacha-bot-release drain`, the post-install and on-exit hooks
 * `gacha-bot-release resume`), on the real script in the release sandbox: drain stops the active
 * slot (SIGTERM: in-flight interactions finish), resume restarts mongod when it runs replaced files
 * and brings the bot back blue/green; resume after a reboot that already brought the bot back does
 * nothing; a release in progress (the shared lock) makes the hook fail instead of interleaving.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { activeSlot, crash, run, runningRelease, sandbox } from './release-sandbox';

function installed() {
  const s = sandbox();
  s.publish('r1', 'console.log(1)');
  expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
  expect(activeSlot(s)).toBe('blue');
  return s;
}

const actions = (calls: string[]) => calls.filter((c) => /^systemctl (stop|restart|start)/.test(c));

describe('OS patch hooks (gacha-bot-release drain / resume)', () => {
  it('drain stops the active slot and marks it; resume brings the bot back blue/green', () => {
    const s = installed();
    const before = s.calls().length;
    const drained = run(s, 'drain');
    expect(drained.status).toBe(0);
    expect(drained.out).toMatch(/draining gacha-bot@blue before OS patching/);
    expect(runningRelease(s, 'blue')).toBeUndefined();
    expect(existsSync(path.join(s.paths.root, 'drained-for-patching'))).toBe(true);
    expect(run(s, 'status').out).toMatch(/drained for OS patching: slot blue/);

    const resumed = run(s, 'resume');
    expect(resumed.status).toBe(0);
    expect(activeSlot(s)).toBe('green');
    expect(runningRelease(s, 'green')).toBe('r1');
    expect(existsSync(path.join(s.paths.root, 'drained-for-patching'))).toBe(false);
    expect(existsSync(path.join(s.paths.root, 'restart-pending'))).toBe(false);
    expect(actions(s.calls().slice(before))).toEqual([
      'systemctl stop gacha-bot@blue',
      'systemctl restart gacha-bot@green',
      'systemctl stop gacha-bot@blue',
    ]);
  });

  it('resume restarts mongod first when it runs replaced files', () => {
    const s = installed();
    expect(run(s, 'drain').status).toBe(0);
    writeFileSync(path.join(s.root, 'state', 'needs.services'), 'chronyd.service\nmongod.service\n');
    const before = s.calls().length;
    const resumed = run(s, 'resume');
    expect(resumed.status).toBe(0);
    expect(resumed.out).toMatch(/restarting mongod/);
    const calls = actions(s.calls().slice(before));
    expect(calls[0]).toBe('systemctl restart mongod');
    expect(calls).toContain('systemctl restart gacha-bot@green');
    expect(calls).not.toContain('systemctl restart chronyd.service');
  });

  it('resume after the reboot (the bot already back, ready, nothing replaced) changes nothing', () => {
    const s = installed();
    const before = s.calls().length;
    const resumed = run(s, 'resume');
    expect(resumed.status).toBe(0);
    expect(resumed.out).toMatch(/runs in slot blue and is ready: nothing to resume/);
    expect(actions(s.calls().slice(before))).toEqual([]);
    expect(activeSlot(s)).toBe('blue');
  });

  it('resume restarts a bot that runs replaced libraries, and one that is down, blue/green', () => {
    const s = installed();
    writeFileSync(path.join(s.root, 'state', 'needs.services'), 'gacha-bot@blue.service\n');
    expect(run(s, 'resume').status).toBe(0);
    expect(activeSlot(s)).toBe('green');
    writeFileSync(path.join(s.root, 'state', 'needs.services'), '');
    crash(s, 'green');
    expect(run(s, 'resume').status).toBe(0);
    expect(activeSlot(s)).toBe('blue');
    expect(runningRelease(s, 'blue')).toBe('r1');
  });

  it('fails (so Patch Manager does not install) while a release holds the lock', async () => {
    const s = installed();
    s.env.LOCK_TIMEOUT = '1';
    const holder = spawn('flock', [path.join(s.paths.root, '.release.lock'), 'sleep', '10']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const drained = run(s, 'drain');
      expect(drained.status).not.toBe(0);
      expect(drained.out).toMatch(/holds .*\.release\.lock/);
      expect(runningRelease(s, 'blue')).toBe('r1');
    } finally {
      holder.kill();
    }
  });
});
