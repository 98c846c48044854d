/**
 * Figures that let benchmark runs from different machines (or a busy and a quiet one) be
 * compared: the load average before and after, and the time of a fixed CPU-bound reference job.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';

/** CPU ms this process spends hashing 256 MiB with SHA-256 (single core), best of three. */
export function referenceJobMs(): number {
  const chunk = Buffer.alloc(1 << 20, 7);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round += 1) {
    const before = process.cpuUsage();
    const hash = createHash('sha256');
    for (let i = 0; i < 256; i += 1) hash.update(chunk);
    hash.digest();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

export function machineLine(): string {
  return `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`;
}
