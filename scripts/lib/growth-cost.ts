/**
 * The roadmap's growth phases priced like `npm run cost` prices an environment: each phase is an
 * environment config (lib/config/environments.ts), synthesized and run through the same cost
 * model (scripts/lib/cost-model.ts), plus the managed database, which no template contains.
 *
 * **Atlas is a documented input, not a template price**: ATLAS_TIERS holds MongoDB Atlas's
 * dedicated-cluster list price per hour on AWS (M10: 3-node replica set, 2 GB RAM, 10 GB storage,
 * backups included) as published on mongodb.com/pricing in 2026 — check it before relying on the
 * figure; `npm run cost -- --growth --atlas-m10-hour 0.09` overrides it. Data transfer between the
 * instances and Atlas (same region) is left out.
 */
import { App } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENVIRONMENTS, type EnvironmentConfig, GROWTH_EXAMPLE, hostTuning } from '../../lib/config/environments';
import { buildGachaBotApp } from '../../lib/gacha-bot-app';
import {
  type CfnTemplate,
  type CostLine,
  HOURS_PER_MONTH,
  type RegionPrices,
  priceTemplate,
  total,
} from './cost-model';

/** Atlas M10 on AWS, USD per hour (documented input; see the module comment). */
export const ATLAS_TIERS: Readonly<Record<string, { readonly m10Hour: number }>> = {
  'us-east-1': { m10Hour: 0.08 },
  'ap-northeast-1': { m10Hour: 0.1 },
};

/** t3 sizes the base price table may lack (on-demand Linux list prices, USD per hour). */
export const GROWTH_INSTANCE_HOUR: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'us-east-1': { 't3.small': 0.0208, 't3.medium': 0.0416 },
  'ap-northeast-1': { 't3.small': 0.0272, 't3.medium': 0.0544 },
};

export interface GrowthPhase {
  readonly phase: string;
  readonly users: number;
  readonly layout: string;
  readonly config: EnvironmentConfig;
  /** Atlas M10 clusters (0 with a local database). */
  readonly atlasM10: number;
}

const prod = ENVIRONMENTS.prod;

export const GROWTH_PHASES: readonly GrowthPhase[] = [
  { phase: '1', users: 1_000, layout: '1× t3.micro, mongod on the instance', config: prod, atlasM10: 0 },
  {
    phase: '2a',
    users: 5_000,
    layout: '1× t3.small, mongod on the instance',
    config: { ...prod, instanceType: 't3.small', dataVolumeGiB: 8, tuning: hostTuning('t3.small', 'local') },
    atlasM10: 0,
  },
  {
    phase: '2b',
    users: 5_000,
    layout: '1× t3.small + Atlas M10',
    config: {
      ...prod,
      instanceType: 't3.small',
      database: 'external',
      tuning: hostTuning('t3.small', 'external'),
    },
    atlasM10: 1,
  },
  {
    phase: '3',
    users: 20_000,
    layout: '2× t3.small (shards 0-1, 2-3) + Atlas M10',
    config: GROWTH_EXAMPLE,
    atlasM10: 1,
  },
];

export interface PhaseCost {
  readonly phase: GrowthPhase;
  readonly lines: readonly CostLine[];
  /** USD/month at list prices, without and with the account's free tier. */
  readonly list: number;
  readonly freeTier: number;
}

/** The phase's stack template as `cdk synth` writes it (bundle content does not change the price). */
export function synthesizePhase(config: EnvironmentConfig): CfnTemplate {
  process.env.CDK_VALIDATION = 'false';
  const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'gacha-cost-bundle-'));
  writeFileSync(path.join(bundleDir, 'index.js'), '');
  const cdkJson = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ context: cdkJson.context ?? {} });
  const built = buildGachaBotApp(app, { bundleDir, nag: false, configs: [config] });
  const stack = built.stacks[0];
  if (!stack) throw new Error('no stack');
  const assembly = app.synth();
  return assembly.getStackByName(stack.stackName).template as CfnTemplate;
}

export function pricePhase(
  phase: GrowthPhase,
  template: CfnTemplate,
  prices: RegionPrices,
  atlasM10Hour: number = ATLAS_TIERS[prices.region]?.m10Hour ?? Number.NaN,
): PhaseCost {
  const withSizes: RegionPrices = {
    ...prices,
    instanceHour: { ...GROWTH_INSTANCE_HOUR[prices.region], ...prices.instanceHour },
  };
  const lines: CostLine[] = [...priceTemplate(template, withSizes)];
  if (phase.atlasM10 > 0) {
    if (!Number.isFinite(atlasM10Hour)) throw new Error(`no Atlas M10 price for ${prices.region}`);
    const usd = phase.atlasM10 * atlasM10Hour * HOURS_PER_MONTH;
    lines.push({
      item: 'MongoDB Atlas M10 (input, not AWS)',
      quantity: `${phase.atlasM10} cluster`,
      usd,
      usdFreeTier: usd,
    });
  }
  return { phase, lines, list: total(lines), freeTier: total(lines, true) };
}
