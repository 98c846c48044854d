/**
 * A Linux cgroup (v1 `cpu` and `memory` controllers, as root) that holds the processes a benchmark
 * started to the budget of a smaller machine: a CPU quota (0.2 CPU is a t3.micro without credits)
 * and one memory limit shared by everything inside (1 GiB: the bot and its database together).
 *
 * Only processes this benchmark started are ever put into the group, and the group is removed
 * again (its processes moved back to the root group first) however the benchmark ends.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = '/sys/fs/cgroup';
const CFS_PERIOD_US = 100_000;

export interface HostLimits {
  /** CPUs the group may use on average (0.2 = 20 ms of CPU per 100 ms period). */
  readonly cpus: number;
  /** Memory for everything in the group together (RSS + page cache), in bytes. */
  readonly memoryBytes: number;
}

export interface CgroupUsage {
  /** CPU time used by the group's processes, in ms. */
  readonly cpuMs: number;
  /** Periods in which the quota ran out and the group was throttled. */
  readonly throttledPeriods: number;
  /** Highest memory use of the group since it was made (or since `resetPeak`), in bytes. */
  readonly peakMemoryBytes: number;
  /** Times the memory limit was hit (the kernel then reclaimed or swapped). */
  readonly memoryLimitHits: number;
}

export class BenchCgroup {
  private readonly cpuDir: string;
  private readonly cpuacctDir: string;
  private readonly memoryDir: string;

  private constructor(name: string) {
    this.cpuDir = path.join(ROOT, 'cpu', name);
    this.cpuacctDir = path.join(ROOT, 'cpuacct', name);
    this.memoryDir = path.join(ROOT, 'memory', name);
  }

  /** True when this machine lets this process make v1 cpu and memory groups. */
  static available(): boolean {
    return (
      process.getuid?.() === 0 &&
      existsSync(path.join(ROOT, 'cpu', 'cgroup.procs')) &&
      existsSync(path.join(ROOT, 'memory', 'cgroup.procs'))
    );
  }

  static create(name: string, limits: HostLimits): BenchCgroup {
    const group = new BenchCgroup(name);
    for (const dir of [group.cpuDir, group.cpuacctDir, group.memoryDir]) {
      if (existsSync(path.dirname(dir))) mkdirSync(dir, { recursive: true });
    }
    // Memory a process already uses moves with it (v1 leaves it charged to the old group otherwise);
    // kernels that dropped this knob answer EINVAL: processes are added right after they start, so
    // little memory is left behind.
    try {
      writeFileSync(path.join(group.memoryDir, 'memory.move_charge_at_immigrate'), '3');
    } catch {
      // Not supported here.
    }
    group.setLimits(limits);
    return group;
  }

  setLimits(limits: HostLimits): void {
    writeFileSync(path.join(this.cpuDir, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
    writeFileSync(path.join(this.cpuDir, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * CFS_PERIOD_US)));
    writeFileSync(path.join(this.memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  }

  /**
   * Moves a process and every process it has forked so far into the group (cgroup v1 moves all
   * threads of a process; what it forks later is born inside).
   */
  add(pid: number): void {
    for (const dir of this.dirs()) writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
    for (const member of descendants(pid)) {
      try {
        for (const dir of this.dirs()) writeFileSync(path.join(dir, 'cgroup.procs'), String(member));
      } catch {
        // A short-lived child (a backend of a finished connection) ended meanwhile.
      }
    }
  }

  /** Processes in the group now. */
  members(): number[] {
    return readFileSync(path.join(this.memoryDir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  }

  usage(): CgroupUsage {
    const cpuStat = this.readKeyed(path.join(this.cpuDir, 'cpu.stat'));
    const cpuacct = existsSync(path.join(this.cpuacctDir, 'cpuacct.usage'))
      ? Number(readFileSync(path.join(this.cpuacctDir, 'cpuacct.usage'), 'utf8')) / 1e6
      : Number.NaN;
    return {
      cpuMs: cpuacct,
      throttledPeriods: cpuStat.get('nr_throttled') ?? 0,
      peakMemoryBytes: Number(readFileSync(path.join(this.memoryDir, 'memory.max_usage_in_bytes'), 'utf8')),
      memoryLimitHits: Number(readFileSync(path.join(this.memoryDir, 'memory.failcnt'), 'utf8')),
    };
  }

  /** Restarts the peak memory figure (so each phase reports its own). */
  resetPeak(): void {
    writeFileSync(path.join(this.memoryDir, 'memory.max_usage_in_bytes'), '0');
  }

  /** Moves every process left in the group back to the root group and removes the group. */
  remove(): void {
    for (const dir of this.dirs()) {
      if (!existsSync(dir)) continue;
      const parent = path.dirname(dir);
      for (const pid of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        try {
          writeFileSync(path.join(parent, 'cgroup.procs'), pid);
        } catch {
          // The process ended meanwhile.
        }
      }
      try {
        rmdirSync(dir);
      } catch {
        // A process that was exiting may hold it for a moment; it is empty and harmless.
      }
    }
  }

  private dirs(): string[] {
    return [this.cpuDir, this.cpuacctDir, this.memoryDir].filter((dir) => existsSync(dir));
  }

  private readKeyed(file: string): Map<string, number> {
    const map = new Map<string, number>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [key, value] = line.split(' ');
      if (key && value !== undefined) map.set(key, Number(value));
    }
    return map;
  }
}

/** Every live process whose parent chain leads to `pid`. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the list was read.
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === undefined) break;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}
