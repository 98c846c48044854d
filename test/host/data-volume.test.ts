/**
 * MongoDB's data volume in the real `gacha-bot-host-setup` (sandboxed host, `host-sandbox.ts`):
 * a blank volume is formatted and mounted before mongod first starts; a volume that carries a
 * filesystem is never formatted; a volume that never appears stops the set-up before mongod.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DATA_VOLUME } from '../../app/contracts/host';
import { renderHostFiles } from '../../lib/constructs/release/host-files';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { DATA_VOLUME_ID, hostSandbox } from './host-sandbox';

const SETUP = '/usr/local/sbin/gacha-bot-host-setup';
const FSTAB_LINE = 'LABEL=gacha-data /var/lib/mongo xfs defaults,nofail,noatime 0 2';

function indexOf(calls: string[], prefix: string): number {
  return calls.findIndex((c) => c.startsWith(prefix));
}

describe('the data volume in gacha-bot-host-setup', () => {
  it('formats a blank volume, mounts it by label and only then starts mongod', () => {
    const h = hostSandbox({ volume: 'blank' });
    const run = h.run(SETUP);
    expect(run.out).toMatch(/host-setup: done/);
    expect(run.status).toBe(0);
    const mountPoint = h.sys(DATA_VOLUME.mountPoint);
    const calls = h.calls();
    const mkfs = indexOf(calls, 'mkfs.xfs ');
    expect(calls[mkfs]).toMatch(
      /^mkfs\.xfs -q -L gacha-data .*\/dev\/disk\/by-id\/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0$/,
    );
    const mount = calls.indexOf(`mount ${mountPoint}`);
    expect(mkfs).toBeGreaterThanOrEqual(0);
    expect(mount).toBeGreaterThan(mkfs);
    expect(calls.indexOf('systemctl restart mongod')).toBeGreaterThan(mount);
    expect(calls).toEqual(expect.arrayContaining([`xfs_growfs -d ${mountPoint}`, `chown mongod:mongod ${mountPoint}`]));
    expect(h.volume()).toMatchObject({ fs: 'TYPE=xfs\nLABEL=gacha-data\n', mounted: true });
    const fstab = readFileSync(h.sys('etc/fstab'), 'utf8').split('\n');
    expect(fstab.filter((line) => line === FSTAB_LINE)).toHaveLength(1);
    expect(run.out).toContain(`data volume ${DATA_VOLUME_ID} is blank`);
  });

  it('never formats again on a re-run, grows the filesystem every time, keeps one fstab line', () => {
    const h = hostSandbox({ volume: 'blank' });
    expect(h.run(SETUP).status).toBe(0);
    h.clearCalls();
    expect(h.run(SETUP).status).toBe(0);
    const calls = h.calls();
    expect(indexOf(calls, 'mkfs')).toBe(-1);
    expect(indexOf(calls, 'mount ')).toBe(-1);
    expect(calls).toContain(`xfs_growfs -d ${h.sys(DATA_VOLUME.mountPoint)}`);
    // After a reboot whose mount failed: mounted again, still not formatted.
    h.unmountVolume();
    h.clearCalls();
    expect(h.run(SETUP).status).toBe(0);
    expect(indexOf(h.calls(), 'mkfs')).toBe(-1);
    expect(h.calls()).toContain(`mount ${h.sys(DATA_VOLUME.mountPoint)}`);
    const fstab = readFileSync(h.sys('etc/fstab'), 'utf8').split('\n');
    expect(fstab.filter((line) => line.includes(DATA_VOLUME.mountPoint))).toEqual([FSTAB_LINE]);
  });

  it('mounts a volume that already holds data without formatting it (a replaced instance)', () => {
    const h = hostSandbox({ volume: 'formatted' });
    // An older line for the mount point is replaced, other lines are kept.
    writeFileSync(h.sys('etc/fstab'), 'UUID=root / xfs defaults 0 1\n/dev/sdf /var/lib/mongo xfs defaults 0 0\n');
    const run = h.run(SETUP);
    expect(run.status).toBe(0);
    expect(indexOf(h.calls(), 'mkfs')).toBe(-1);
    expect(h.volume()).toEqual({ fs: 'TYPE=xfs\nLABEL=gacha-data\n', mounted: true, data: 'players\n' });
    expect(readFileSync(h.sys('etc/fstab'), 'utf8')).toBe(
      `UUID=root / xfs defaults 0 1\n/swapfile none swap defaults 0 0\n${FSTAB_LINE}\n`,
    );
  });

  it('refuses a volume with another filesystem: no format, no mount, no mongod', () => {
    const h = hostSandbox({ volume: 'foreign' });
    const run = h.run(SETUP);
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/already carries something other than a xfs filesystem labelled gacha-data/);
    expect(indexOf(h.calls(), 'mkfs')).toBe(-1);
    expect(indexOf(h.calls(), 'mount ')).toBe(-1);
    expect(indexOf(h.calls(), 'systemctl restart mongod')).toBe(-1);
  });

  it('refuses to hide a database already written to the root disk', () => {
    const h = hostSandbox({ volume: 'blank' });
    writeFileSync(h.sys(`${DATA_VOLUME.mountPoint}/WiredTiger`), 'data');
    const run = h.run(SETUP);
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/is not empty: mounting the data volume would hide it/);
    expect(indexOf(h.calls(), 'mkfs')).toBe(-1);
    expect(indexOf(h.calls(), 'systemctl restart mongod')).toBe(-1);
  });

  it('fails loudly after a bounded wait when the volume never appears, and does not start mongod', () => {
    const h = hostSandbox({ volume: 'absent' });
    const started = Date.now();
    const run = h.run(SETUP);
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(
      /data volume vol-0123456789abcdef0 never appeared \(.*nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0, \/dev\/sdf\) after 2s: is it attached\? mongod NOT started/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(indexOf(h.calls(), 'systemctl restart mongod')).toBe(-1);
    expect(indexOf(h.calls(), 'mkfs')).toBe(-1);
  });

  it('finds the volume by its attachment device name when the by-id link is missing', () => {
    const h = hostSandbox({ volume: 'fallback' });
    expect(h.run(SETUP).status).toBe(0);
    expect(h.calls()).toContain(`mkfs.xfs -q -L gacha-data ${h.sys('/dev/sdf')}`);
  });

  it('keeps mongod off the root disk: RequiresMountsFor its dbPath, which the sandbox lets it write', () => {
    const files = renderHostFiles(ENVIRONMENTS.prod.tuning);
    const unit = (name: string) => files.find((f) => f.path.endsWith(`/units/mongod.service.d/${name}`))?.content ?? '';
    expect(unit('40-gacha-data-volume.conf')).toMatch(/^RequiresMountsFor=\/var\/lib\/mongo$/m);
    expect(unit('50-gacha-hardening.conf')).toMatch(/^ReadWritePaths=\/var\/lib\/mongo /m);
    const conf = files.find((f) => f.path.endsWith('/mongod.conf'))?.content ?? '';
    expect(conf).toContain(`dbPath: ${DATA_VOLUME.mountPoint}`);
  });
});
