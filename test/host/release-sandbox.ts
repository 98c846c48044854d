/**
 * A temporary root in which the real `gacha-bot-release` script (rendered exactly as the release
 * document installs it) runs with systemctl, curl, aws and unzip replaced by small shims that
 * record calls and simulate the units: a running slot is a file naming the release it started
 * (other units only record their calls); `dnf needs-restarting -s` answers from state/needs.services.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOST_PATHS, RELEASE_SLOTS } from '../../app/contracts/host';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { type HostPaths, renderHostFiles } from '../../lib/constructs/release/host-files';

export interface Sandbox {
  readonly root: string;
  readonly paths: HostPaths;
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  readonly calls: () => string[];
  publish(id: string, body: string): void;
}

/** The host contract's paths moved under a temporary root. */
export function pathsUnder(root: string): HostPaths {
  const paths = {} as Record<keyof typeof HOST_PATHS, string>;
  for (const key of Object.keys(HOST_PATHS) as (keyof typeof HOST_PATHS)[]) {
    paths[key] = path.join(root, HOST_PATHS[key]);
  }
  return paths;
}

export function sandbox(): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gacha-release-'));
  const under = (p: string) => path.join(root, p);
  const paths = pathsUnder(root);
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
case "$unit" in gacha-bot@*) ;; *) exit 0 ;; esac
case "$1" in
  restart|start) readlink "${paths.slots}/$slot" >"${state}/$slot.running" ;;
  stop) rm -f "${state}/$slot.running" ;;
  is-active) if [ -f "${state}/$slot.running" ]; then [ "$2" = --quiet ] || echo active; else [ "$2" = --quiet ] || echo inactive; exit 3; fi ;;
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
    // `dnf needs-restarting -s` lists the services that run replaced files (state/needs.services).
    dnf: `#!/bin/bash
echo "dnf $*" >>"${state}/calls.log"
[ "$1 $2" = "needs-restarting -s" ] && cat "${state}/needs.services" 2>/dev/null
exit 0`,
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

export function run(s: Sandbox, ...args: string[]): { status: number; out: string } {
  const result = spawnSync('bash', [s.script, ...args], { env: s.env, encoding: 'utf8' });
  return { status: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

export function activeSlot(s: Sandbox): string {
  return readFileSync(path.join(s.paths.root, 'active-slot'), 'utf8').trim();
}

/** The slot's process dies (as if it crashed and systemd gave up). */
export function crash(s: Sandbox, slot: string): void {
  rmSync(path.join(s.root, 'state', `${slot}.running`), { force: true });
}

export function runningRelease(s: Sandbox, slot: string): string | undefined {
  const file = path.join(s.root, 'state', `${slot}.running`);
  return existsSync(file) ? path.basename(readFileSync(file, 'utf8').trim()) : undefined;
}
