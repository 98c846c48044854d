/**
 * Runs a pull simulation split across worker threads (one per core): each thread simulates its
 * own player for an equal share of the batches with its own secure RNG, and the parts are merged.
 * The worker code is bundled once with esbuild (the threads run plain JavaScript, outside jest's
 * TypeScript transform).
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { type SimulationPlan, type SimulationRun, mergeRuns } from './fairness-simulation';

let workerSource: Promise<string> | undefined;

function bundledWorker(): Promise<string> {
  workerSource ??= build({
    entryPoints: [path.join(__dirname, 'fairness-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
  }).then((result) => {
    const [output] = result.outputFiles;
    if (!output) throw new Error('esbuild produced no worker bundle');
    return output.text;
  });
  return workerSource;
}

function runWorker(source: string, plan: SimulationPlan): Promise<SimulationRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: plan });
    worker.once('message', (run: SimulationRun) => {
      resolve(run);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`fairness worker exited with code ${code}`));
    });
  });
}

export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism());
}

/** The plan's batches split evenly over up to `threads` workers. */
export async function simulateInWorkers(plan: SimulationPlan, threads = defaultThreads()): Promise<SimulationRun> {
  let parts = Math.max(1, Math.min(threads, plan.batches));
  while (plan.batches % parts !== 0) parts--;
  const source = await bundledWorker();
  const share: SimulationPlan = { ...plan, batches: plan.batches / parts, draws: plan.draws / parts };
  return mergeRuns(await Promise.all(Array.from({ length: parts }, () => runWorker(source, share))));
}
