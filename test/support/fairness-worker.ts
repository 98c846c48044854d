/** Worker-thread entry of `fairness-workers.ts`: runs one part of a simulation and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { type SimulationPlan, simulatePulls } from './fairness-simulation';

parentPort?.postMessage(simulatePulls(workerData as SimulationPlan));
