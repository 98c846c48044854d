/**
 * Runs the real `gacha-bot-release` script (rendered exactly as the release document installs it)
 * against a temporary root, with systemctl, curl, aws and unzip replaced by small shims that
 * record calls and simulate the units. Checks the blue/green order (the new slot is ready before
 * the old one stops), failure handling, rollback and pruning.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOST_PATHS, RELEASE_SLOTS } from '../../app/contracts/host';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { type HostPaths, renderHostFiles } from '../../lib/constructs/release/host-files';

interface Sandbox {
  readonly root: string;
  readonly paths: HostPaths;
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  readonly calls: () => string[];
  publish(id: string, body: string): void;
}

function sandbox(): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gacha-release-'));
  const under = (p: string) => path.join(root, p);
  const paths: HostPaths = Object.fromEntries(
    Object.entries(HOST_PATHS).map(([key, value]) => [key, under(value)]),
  ) as unknown as HostPaths;
  for (const dir of [paths.releases, paths.slots, paths.configDir, under('bin'), under('state'), under('s3')]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(
    path.join(paths.configDir, 'host.env'),
    `AWS_REGION=ap-northeast-1\nHEALTH_PORT_BLUE=${RELEASE_SLOTS.blue}\nHEALTH_PORT_GREEN=${RELEASE_SLOTS.green}\n`,
  );
  const files = renderHostFiles(ENVIRONMENTS.staging.tuning, paths);
  const release = files.find((f) => f.path.endsWith('/gacha-bot-release'));
  if (!release) throw new Error('no release script');
  const script = under('gacha-bot-release');
  writeFileSync(script, release.content, { mode: 0o755 });
  const state = under('state');
  const shims: Record<string, string> = {
    // Units: a running slot is a file naming the release its symlink pointed at when started.
    systemctl: `#!/bin/bash
echo "systemctl $*" >>"${state}/calls.log"
unit="\${@: -1}"; slot="\${unit#gacha-bot@}"
case "$1" in
  restart|start) readlink "${paths.slots}/$slot" >"${state}/$slot.running" ;;
  stop) rm -f "${state}/$slot.running" ;;
  is-active) [ -f "${state}/$slot.running" ] ;;
  is-failed) exit 1 ;;
  *) exit 0 ;;
esac`,
    // /readyz answers when the slot runs a release whose index.js is not marked BROKEN.
    curl: `#!/bin/bash
url="\${@: -1}"; port="\${url#http://127.0.0.1:}"; port="\${port%%/*}"
[ "$port" = "${RELEASE_SLOTS.blue}" ] && slot=blue || slot=green
[ -f "${state}/$slot.running" ] || exit 7
! grep -q BROKEN "$(cat "${state}/$slot.running")/index.js" || exit 22
echo '{"ready":true}'`,
    aws: `#!/bin/bash
echo "aws $*" >>"${state}/calls.log"
[ "$1 $2" = "s3 cp" ] || exit 2
for a in "$@"; do case "$a" in s3://*) src="$a" ;; esac; done
key="\${src#s3://*/}"; dest="\${@: -1}"
cp "${under('s3')}/$key" "$dest"`,
    unzip: `#!/bin/bash
file="$2"; dir="$4"; mkdir -p "$dir"; tar -xf "$file" -C "$dir"`,
    journalctl: '#!/bin/bash\nexit 0',
  };
  for (const [name, body] of Object.entries(shims)) writeFileSync(under(`bin/${name}`), body, { mode: 0o755 });
  const env = { ...process.env, PATH: `${under('bin')}:${process.env.PATH ?? ''}`, READY_TIMEOUT: '3' };
  return {
    root,
    paths,
    script,
    env,
    calls: () =>
      existsSync(path.join(state, 'calls.log'))
        ? readFileSync(path.join(state, 'calls.log'), 'utf8').trim().split('\n')
        : [],
    publish(id, body) {
      const src = mkdtempSync(path.join(os.tmpdir(), 'gacha-bundle-'));
      writeFileSync(path.join(src, 'index.js'), body);
      execFileSync('tar', ['-cf', path.join(under('s3'), `${id}.zip`), '-C', src, 'index.js']);
    },
  };
}

function run(s: Sandbox, ...args: string[]): { status: number; out: string } {
  const result = spawnSync('bash', [s.script, ...args], { env: s.env, encoding: 'utf8' });
  return { status: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

function activeSlot(s: Sandbox): string {
  return readFileSync(path.join(s.paths.root, 'active-slot'), 'utf8').trim();
}

function runningRelease(s: Sandbox, slot: string): string | undefined {
  const file = path.join(s.root, 'state', `${slot}.running`);
  return existsSync(file) ? path.basename(readFileSync(file, 'utf8').trim()) : undefined;
}

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

  it('run the bot under a hardened unit with a memory cap, restart delay and secrets from SSM', () => {
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
