/**
 * A temporary host for the set-up, env and patch scripts: every host file rendered exactly as the
 * release document installs it, with the host contract's paths and the system root moved under a
 * temporary directory, and the commands that would change the machine (systemctl, dnf, rpm, aws,
 * mongosh, useradd…) replaced by shims that record their calls. SSM parameters live in a JSON
 * file with their version history, so tests can rotate, empty or break them.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATA_VOLUME, RELEASE_SLOTS, SECRET_NAMES, ebsDevicePath } from '../../app/contracts/host';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { type HostPaths, renderHostFiles } from '../../lib/constructs/release/host-files';
import { pathsUnder } from './release-sandbox';

export const SSM_PREFIX = '/gacha-bot/staging/';
export const DATA_VOLUME_ID = 'vol-0123456789abcdef0';

/**
 * MongoDB's data volume as the sandbox attaches it: `blank` (a new volume), `formatted` (our
 * filesystem with player data on it), `foreign` (another filesystem), `absent` (never appears), or
 * `fallback` (blank, reachable only as the attachment's device name, not by its id).
 */
export type SandboxVolume = 'blank' | 'formatted' | 'foreign' | 'absent' | 'fallback';

export interface HostSandbox {
  readonly root: string;
  readonly paths: HostPaths;
  readonly env: NodeJS.ProcessEnv;
  /** Absolute path of a file under the system root (`/etc/mongod.conf` → sandbox path). */
  sys(file: string): string;
  calls(): string[];
  clearCalls(): void;
  /** Puts a new version of a parameter (returns its version number). */
  putParameter(name: string, value: string): number;
  /** Makes reads of a parameter fail like an AccessDenied / missing parameter. */
  breakParameter(name: string): void;
  /** Runs a host script by its installed path (`/usr/local/sbin/gacha-bot-host-setup`). */
  run(script: string, ...args: string[]): { status: number; out: string };
  /** The MONGO_* variables mongosh received in its last run of ensure-users.js. */
  lastUsersEnv(): Record<string, string>;
  setScenario(name: string, value: string): void;
  /** The data volume's state: its filesystem (blkid's export lines, '' when blank), mounted or not, its data. */
  volume(): { fs: string; mounted: boolean; data: string | null };
  /** Unmounts the data volume (as after a reboot whose `nofail` mount failed). */
  unmountVolume(): void;
}

export const SECRETS = {
  [SECRET_NAMES.discordToken]: 'tok.en-Value-9Qz',
  [SECRET_NAMES.mongodbAdminPassword]: 'adm/pw+1=%x',
  [SECRET_NAMES.mongodbBotPassword]: 'bot:pw@2 #',
  [SECRET_NAMES.mongodbBackupPassword]: 'bak-pw-3',
  [SECRET_NAMES.fairnessSeedKey]: 'c2VlZC1rZXktZm9yLXRoZS1ob3N0LXNhbmRib3gtMzI=',
} as const;

export interface SandboxOptions {
  readonly volume?: SandboxVolume;
  /** Further host.env lines (the growth path: DATABASE_MODE, SHARD_COUNT, SHARD_RANGES…). */
  readonly hostEnv?: readonly string[];
  /** Leave out the data volume line of host.env (an external database has none). */
  readonly noDataVolume?: boolean;
  /** The instance id IMDSv2 answers (curl is a shim; without it every IMDS call fails). */
  readonly instanceId?: string;
  /** Extra SSM parameters (name under the prefix → value), e.g. the external MongoDB URI. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export function hostSandbox(options: SandboxOptions = {}): HostSandbox {
  const volumeState = options.volume ?? 'blank';
  const root = mkdtempSync(path.join(os.tmpdir(), 'gacha-host-'));
  const sysroot = path.join(root, 'sys');
  const paths = pathsUnder(path.join(root, 'contract'));
  const bin = path.join(root, 'bin');
  const state = path.join(root, 'state');
  for (const dir of [path.join(sysroot, 'etc'), bin, state, paths.configDir]) mkdirSync(dir, { recursive: true });
  const sys = (file: string) => path.join(sysroot, file);

  for (const file of renderHostFiles(ENVIRONMENTS.staging.tuning, paths, { root: sysroot })) {
    const target = file.path.startsWith(root) ? file.path : sys(file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content, { mode: parseInt(file.mode, 8) });
  }
  writeFileSync(
    path.join(paths.configDir, 'host.env'),
    [
      'GACHA_ENV=staging',
      'AWS_REGION=ap-northeast-1',
      `SSM_PREFIX=${SSM_PREFIX}`,
      'AGENT_CONFIG_PARAMETER=AmazonCloudWatch-gacha-bot-staging',
      `HEALTH_PORT_BLUE=${RELEASE_SLOTS.blue}`,
      `HEALTH_PORT_GREEN=${RELEASE_SLOTS.green}`,
      ...(options.noDataVolume ? [] : [`${DATA_VOLUME.hostEnvVariable}=${DATA_VOLUME_ID}`]),
      ...(options.hostEnv ?? []),
      '',
    ].join('\n'),
  );
  const ssm = path.join(state, 'ssm');
  const versions = (name: string) => {
    const dir = path.join(ssm, name);
    mkdirSync(dir, { recursive: true });
    return readdirSync(dir).filter((f) => /^\d+$/.test(f)).length;
  };
  const put = (name: string, value: string): number => {
    const next = versions(name) + 1;
    writeFileSync(path.join(ssm, name, String(next)), value);
    return next;
  };
  for (const [name, value] of Object.entries({ ...SECRETS, ...options.parameters })) put(name, value);

  // The data volume: a device node under the system root; blkid, mkfs, mount and mountpoint answer
  // from files under state/ (volume.fs: blkid's export lines; volume.mounted; volume.data).
  if (volumeState !== 'absent') {
    const device = sys(volumeState === 'fallback' ? DATA_VOLUME.deviceName : ebsDevicePath(DATA_VOLUME_ID));
    mkdirSync(path.dirname(device), { recursive: true });
    writeFileSync(device, '');
  }
  if (volumeState === 'formatted') {
    writeFileSync(path.join(state, 'volume.fs'), `TYPE=${DATA_VOLUME.fsType}\nLABEL=${DATA_VOLUME.label}\n`);
    writeFileSync(path.join(state, 'volume.data'), 'players\n');
  }
  if (volumeState === 'foreign') writeFileSync(path.join(state, 'volume.fs'), 'TYPE=ext4\nLABEL=old-disk\n');
  mkdirSync(sys(DATA_VOLUME.mountPoint), { recursive: true });

  const log = path.join(state, 'calls.log');
  const record = `echo "$(basename "$0") $*" >>"${log}"`;
  const shims: Record<string, string> = {
    systemctl: `${record}
case "$1" in
  is-active) [ "$3" = mongod ] && [ -f "${state}/mongod.active" ] ;;
  restart|start) [ "\${@: -1}" = mongod ] && touch "${state}/mongod.active"; exit 0 ;;
  stop) [ "\${@: -1}" = mongod ] && rm -f "${state}/mongod.active"; exit 0 ;;
  *) exit 0 ;;
esac`,
    // SSM: get-parameter --name NAME[:VERSION] [--with-decryption] --query Parameter.Value|Parameter.Version,
    // answered from ${ssm}/<name>/<version> files (a BROKEN file there makes every read fail).
    aws: `${record}
[ "$1 $2" = "ssm get-parameter" ] || { echo "aws shim: unexpected $*" >&2; exit 2; }
shift 2
decrypt=no
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="$2"; shift ;;
    --query) query="$2"; shift ;;
    --with-decryption) decrypt=yes ;;
  esac
  shift
done
base="\${name#${SSM_PREFIX}}"; wanted="\${base#*:}"; base="\${base%%:*}"; [ "$wanted" != "$base" ] || wanted=""
dir="${ssm}/$base"
if [ ! -d "$dir" ] || [ -f "$dir/BROKEN" ]; then
  echo "An error occurred (ParameterNotFound) when calling the GetParameter operation: $name" >&2; exit 254
fi
latest="$(ls "$dir" | sort -n | tail -n 1)"; version="\${wanted:-$latest}"
[ -f "$dir/$version" ] || { echo "An error occurred (ParameterVersionNotFound): $name" >&2; exit 254; }
case "$query" in
  Parameter.Version) echo "$version" ;;
  Parameter.Value) if [ $decrypt = yes ]; then cat "$dir/$version"; echo; else echo AQICAHh-ciphertext; fi ;;
  *) exit 2 ;;
esac`,
    mongosh: `${record}
if [ "$1 $2 $3" = "--quiet --nodb --file" ]; then env | grep '^MONGO_' | sort >"${state}/users.env"; exit "$(cat "${state}/mongosh.exit" 2>/dev/null || echo 0)"; fi
[ -f "${state}/mongod.active" ]`,
    dnf: `${record}
case "$1 $2" in
  "upgrade -y") [ -f "${state}/dnf.updates" ] && cat "${state}/dnf.updates" >>"${state}/rpm.installed"; exit 0 ;;
  "needs-restarting -r") if [ -f "${state}/needs.reboot" ]; then echo "Reboot is required to fully utilize these updates."; exit 1; fi; echo "No core libraries or services have been updated since boot-up."; exit 0 ;;
  "needs-restarting -s") cat "${state}/needs.services" 2>/dev/null; exit 0 ;;
  *) exit 0 ;;
esac`,
    // blkid -p -o export DEVICE: exit 2 when it finds nothing (a blank device).
    blkid: `${record}
[ -f "${state}/volume.fs" ] || exit 2
echo "DEVNAME=\${@: -1}"; cat "${state}/volume.fs"`,
    'mkfs.xfs': `${record}
rm -f "${state}/volume.data"; printf 'TYPE=xfs\\nLABEL=%s\\n' "$3" >"${state}/volume.fs"`,
    mountpoint: `${record}
[ "$2" = "${sys(DATA_VOLUME.mountPoint)}" ] && [ -f "${state}/volume.mounted" ]`,
    mount: `${record}
[ -f "${state}/volume.fs" ] || { echo "mount: wrong fs type, bad option, bad superblock" >&2; exit 32; }
touch "${state}/volume.mounted"`,
    xfs_growfs: `${record}\nexit 0`,
    udevadm: `${record}\nexit 0`,
    restorecon: `${record}\nexit 0`,
    chown: `${record}\nexit 0`,
    swapon: `${record}\necho /swapfile`,
    sysctl: `${record}\nexit 0`,
    getent: `${record}\nexit 0`,
    id: `${record}\nexit 0`,
    groupadd: `${record}\nexit 0`,
    useradd: `${record}\nexit 0`,
    // install(1) without owners: the sandbox has no gacha-bot user.
    install: `args=(); skip=0
for a in "$@"; do
  if [ $skip = 1 ]; then skip=0; continue; fi
  case "$a" in -o|-g) skip=1 ;; *) args+=("$a") ;; esac
done
exec /usr/bin/install "\${args[@]}"`,
    'node-22': 'exec node "$@"',
    // IMDSv2: a PUT for the token, then GET meta-data/instance-id with it.
    curl: `${record}
${options.instanceId === undefined ? 'exit 7' : ''}
case "$*" in
  *"-X PUT"*api/token*) echo imds-token ;;
  *"X-aws-ec2-metadata-token: imds-token"*meta-data/instance-id) echo ${options.instanceId ?? ''} ;;
  *) exit 22 ;;
esac`,
  };
  for (const [name, body] of Object.entries(shims))
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  const agent = sys('opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl');
  mkdirSync(path.dirname(agent), { recursive: true });
  writeFileSync(agent, `#!/bin/bash\necho "amazon-cloudwatch-agent-ctl $*" >>"${log}"\n`, { mode: 0o755 });
  writeFileSync(
    path.join(state, 'rpm.installed'),
    'kernel-0:6.1.100-1.amzn2023.x86_64\nnodejs22-1:22.11.0-1.amzn2023.x86_64\n',
  );
  // rpm -qa answers from the installed list (the patch script compares it before and after).
  writeFileSync(
    path.join(bin, 'rpm'),
    `#!/bin/bash\n${record}\n[ "$1" = -qa ] && cat "${state}/rpm.installed"\nexit 0\n`,
    { mode: 0o755 },
  );

  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    PING_INTERVAL: '0',
    LOCK_TIMEOUT: '2',
    DEVICE_WAIT_SECONDS: '2',
    DEVICE_POLL_SECONDS: '1',
  };
  return {
    root,
    paths,
    env,
    sys,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []),
    clearCalls: () => {
      writeFileSync(log, '');
    },
    putParameter: put,
    breakParameter(name) {
      versions(name);
      writeFileSync(path.join(ssm, name, 'BROKEN'), '');
    },
    run(script, ...args) {
      const target = sys(script);
      chmodSync(target, 0o755);
      const result = spawnSync('bash', [target, ...args], { env, encoding: 'utf8' });
      return { status: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
    },
    lastUsersEnv() {
      const file = path.join(state, 'users.env');
      if (!existsSync(file)) return {};
      return Object.fromEntries(
        readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
    },
    setScenario(name, value) {
      writeFileSync(path.join(state, name), value);
    },
    volume() {
      const read = (name: string) =>
        existsSync(path.join(state, name)) ? readFileSync(path.join(state, name), 'utf8') : null;
      return { fs: read('volume.fs') ?? '', mounted: read('volume.mounted') !== null, data: read('volume.data') };
    },
    unmountVolume() {
      rmSync(path.join(state, 'volume.mounted'), { force: true });
    },
  };
}
