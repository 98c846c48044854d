/**
 * `tsx scripts/ci/render-units.ts <dir>` renders every systemd unit and drop-in of the host the way
 * the host set-up installs them (placeholders filled from the host contract and prod's tuning,
 * copied to /etc/systemd/system) into `<dir>`, a filesystem root for `systemd-analyze --root`:
 * the build machine's own systemd units, the packages' units we extend (`package-units/`) and
 * stand-ins for the packages' executables complete it. Prints one line per unit to check,
 * `<unit> <max exposure|->` (`--list` prints them without rendering); `check-units.sh` runs
 * `systemd-analyze verify` and `security --offline=true` on them.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { SYSTEMD_UNITS, renderHostFiles } from '../../lib/constructs/release/host-files';

/** Highest `systemd-analyze security` exposure our own units may have. */
export const MAX_EXPOSURE = 2.0;

export interface UnitCheck {
  readonly unit: string;
  readonly verify: boolean;
  /** Exposure ceiling, or null for a unit that is only reported (see README, "Hardening"). */
  readonly maxExposure: number | null;
}

/** Units to check: template units as their instances, drop-ins through their package's unit. */
export const UNIT_CHECKS: readonly UnitCheck[] = [
  { unit: 'gacha-bot@blue.service', verify: true, maxExposure: MAX_EXPOSURE },
  { unit: 'gacha-bot@green.service', verify: true, maxExposure: MAX_EXPOSURE },
  { unit: 'gacha-bot-backup.service', verify: true, maxExposure: MAX_EXPOSURE },
  { unit: 'gacha-bot-backup.timer', verify: true, maxExposure: null },
  // The mongodb-org-server package's unit with our hardening drop-in.
  { unit: 'mongod.service', verify: true, maxExposure: MAX_EXPOSURE },
];

const PACKAGE_UNITS = path.join(__dirname, 'package-units');
/** Executables the units start, installed on the instance by packages or by the release document. */
const STAND_INS = ['/usr/bin/node-22', '/usr/bin/mongod'];
const HOST_UNIT_DIRS = ['/usr/lib/systemd/system', '/lib/systemd/system'];

export function renderUnitRoot(root: string): readonly UnitCheck[] {
  const files = renderHostFiles(ENVIRONMENTS.prod.tuning);
  for (const file of files) {
    const target = path.join(root, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content, { mode: parseInt(file.mode, 8) });
  }
  // As the host set-up does: config directory → /etc/systemd/system.
  for (const unit of SYSTEMD_UNITS) {
    const source = files.find((f) => f.path.endsWith(`/units/${unit}`));
    if (!source) throw new Error(`render-units: ${unit} is not among the host files`);
    const target = path.join(root, 'etc/systemd/system', unit);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, source.content);
  }
  const systemUnits = path.join(root, 'usr/lib/systemd/system');
  mkdirSync(systemUnits, { recursive: true });
  const hostDir = HOST_UNIT_DIRS.find((dir) => existsSync(dir) && readdirSync(dir).includes('sysinit.target'));
  if (!hostDir) throw new Error('render-units: no systemd unit directory on this machine (install systemd)');
  cpSync(hostDir, systemUnits, { recursive: true, dereference: false, force: true, verbatimSymlinks: true });
  for (const name of readdirSync(PACKAGE_UNITS)) {
    writeFileSync(path.join(systemUnits, name), readFileSync(path.join(PACKAGE_UNITS, name)));
  }
  for (const executable of STAND_INS) {
    const target = path.join(root, executable);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, '#!/bin/sh\nexit 0\n');
    chmodSync(target, 0o755);
  }
  return UNIT_CHECKS;
}

if (require.main === module) {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: render-units.ts <dir> | --list\n');
    process.exit(2);
  }
  for (const check of root === '--list' ? UNIT_CHECKS : renderUnitRoot(path.resolve(root))) {
    const cap = check.maxExposure === null ? '-' : String(check.maxExposure);
    process.stdout.write(`${check.unit} ${cap}\n`);
  }
}
