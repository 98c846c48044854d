/**
 * The units `.ci/run` checks are the ones the host set-up installs: `render-units.ts` renders them
 * from the same host files, and `check-units.sh` (systemd-analyze verify + security, offline)
 * passes on them and fails on a broken or weakened unit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { SYSTEMD_UNITS, renderHostFiles } from '../../lib/constructs/release/host-files';
import { MAX_EXPOSURE, UNIT_CHECKS, renderUnitRoot } from '../../scripts/ci/render-units';

const repo = path.resolve(__dirname, '..', '..');

function rendered(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gacha-units-'));
  renderUnitRoot(root);
  return root;
}

function checkUnits(root: string): { status: number; out: string } {
  const result = spawnSync(path.join(repo, 'scripts/ci/check-units.sh'), [], {
    cwd: repo,
    env: { ...process.env, UNITS_ROOT: root, CHECK_UNITS_QUIET: '1' },
    encoding: 'utf8',
  });
  return { status: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

describe('rendered systemd units', () => {
  it('are exactly the unit files the host set-up installs, every placeholder filled', () => {
    const root = rendered();
    const files = renderHostFiles(ENVIRONMENTS.prod.tuning);
    for (const unit of SYSTEMD_UNITS) {
      const content = readFileSync(path.join(root, 'etc/systemd/system', unit), 'utf8');
      expect(content).not.toMatch(/@@[A-Z0-9_]+@@/);
      expect(content).toBe(files.find((f) => f.path.endsWith(`/units/${unit}`))?.content);
    }
    const setup = files.find((f) => f.path.endsWith('/gacha-bot-host-setup'))?.content ?? '';
    expect(setup).toContain(`for unit in ${SYSTEMD_UNITS.join(' ')}; do`);
    // Every service of ours and mongod (with our drop-in) is held to the ceiling (OS patching is
    // SSM Patch Manager's: no root unit of ours runs the package manager).
    expect(UNIT_CHECKS.filter((c) => c.maxExposure === MAX_EXPOSURE).map((c) => c.unit)).toEqual([
      'gacha-bot@blue.service',
      'gacha-bot@green.service',
      'gacha-bot-backup.service',
      'mongod.service',
    ]);
  });

  it('pass systemd-analyze verify and stay at or below 2.0 exposure', () => {
    const result = checkUnits(rendered());
    expect(result.out).toMatch(/verify: .* OK/);
    for (const unit of ['gacha-bot@blue.service', 'gacha-bot-backup.service', 'mongod.service']) {
      const exposure = new RegExp(`${unit.replace('.', '\\.')} exposure ([0-9.]+) \\(≤ 2\\)`).exec(result.out)?.[1];
      expect(Number(exposure)).toBeLessThanOrEqual(MAX_EXPOSURE);
    }
    expect(result.out).not.toMatch(/reported, no ceiling/);
    expect(result.status).toBe(0);
  });

  it('fail on an unknown directive, and on mongod without its hardening drop-in', () => {
    const broken = rendered();
    writeFileSync(path.join(broken, 'etc/systemd/system/gacha-bot-backup.service'), 'Restart=sometimes\n', {
      flag: 'a',
    });
    const verify = checkUnits(broken);
    expect(verify.status).not.toBe(0);
    expect(verify.out).toMatch(/gacha-bot-backup\.service:\d+: .*restart/i);

    const bare = rendered();
    rmSync(path.join(bare, 'etc/systemd/system/mongod.service.d'), { recursive: true });
    const security = checkUnits(bare);
    expect(security.status).not.toBe(0);
    expect(security.out).toMatch(/mongod\.service exposure [0-9.]+ is above 2/);
  });
});
