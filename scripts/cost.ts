/**
 * `npm run cost [-- --env staging|prod] [--region us-east-1|ap-northeast-1] [--check] [--growth]` — prices
 * the synthesized templates (run `npm run bundle && npm run synth` first) at on-demand list
 * prices: a line per billable item, with the account's CloudWatch free tier and without it, and
 * the 1-year Savings Plan price of the instance as a note. `--check` exits 1 when an environment
 * misses its target in us-east-1 (prod ≤ 13.50 with its own account's free tier and ≤ 16.00
 * without; staging ≤ 3.00 without).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type CfnTemplate,
  DEFAULT_USAGE,
  FREE_TIER,
  PRICES,
  TARGETS,
  oneYearInstance,
  priceTemplate,
  runningHours,
  total,
} from './lib/cost-model';
import { GROWTH_PHASES, pricePhase, synthesizePhase } from './lib/growth-cost';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// `--growth` alone prints only the growth phases (they need no cdk.out).
const growthOnly = process.argv.includes('--growth') && !arg('env');
const envs = growthOnly ? [] : arg('env') ? [arg('env') as string] : ['staging', 'prod'];
const regions = arg('region') ? [arg('region') as string] : Object.keys(PRICES);
const usd = (n: number) => n.toFixed(2).padStart(7);
let failed = false;
for (const env of envs) {
  const file = path.resolve(__dirname, '..', 'cdk.out', `GachaBot-${env}.template.json`);
  if (!existsSync(file)) {
    process.stderr.write(`cost: ${file} not found — run \`npm run bundle && npm run synth\` first\n`);
    process.exit(2);
  }
  const template = JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
  for (const region of regions) {
    const prices = PRICES[region];
    if (!prices) {
      process.stderr.write(`cost: no prices for ${region} (known: ${Object.keys(PRICES).join(', ')})\n`);
      process.exit(2);
    }
    const lines = priceTemplate(template, prices);
    const width = Math.max(...lines.map((l) => l.item.length), 28);
    process.stdout.write(
      `\nGachaBot-${env} in ${region} (USD/month, on-demand list prices; instance runs ${runningHours(template)} h)\n`,
    );
    process.stdout.write(`  ${'item'.padEnd(width)}  ${'list'.padStart(7)}  ${'free tier'.padStart(9)}  quantity\n`);
    for (const line of lines) {
      process.stdout.write(
        `  ${line.item.padEnd(width)}  ${usd(line.usd)}  ${usd(line.usdFreeTier).padStart(9)}  ${line.quantity}\n`,
      );
    }
    const list = total(lines);
    const free = total(lines, true);
    process.stdout.write(`  ${'total'.padEnd(width)}  ${usd(list)}  ${usd(free).padStart(9)}\n`);
    for (const one of oneYearInstance(template, prices)) {
      process.stdout.write(
        `  note: ${one.type} on a 1-year Savings Plan / reserved (no upfront) ≈ ${one.usd.toFixed(2)} USD/month instead of the on-demand line\n`,
      );
    }
    const target = TARGETS[env];
    if (target && region === 'us-east-1') {
      const verdicts = [
        `no free tier ${list.toFixed(2)} ${list <= target.noFreeTier ? '≤' : '>'} ${target.noFreeTier.toFixed(2)}`,
        ...(target.freeTier !== undefined
          ? [
              `own account's free tier ${free.toFixed(2)} ${free <= target.freeTier ? '≤' : '>'} ${target.freeTier.toFixed(2)}`,
            ]
          : []),
      ];
      const miss = list > target.noFreeTier || (target.freeTier !== undefined && free > target.freeTier);
      process.stdout.write(`  target: ${verdicts.join('; ')} — ${miss ? 'MISSED' : 'met'}\n`);
      if (miss) failed = true;
    }
  }
}
process.stdout.write(
  `\nassumptions: ${DEFAULT_USAGE.interactionsPerDay.toLocaleString('en')} interactions/day, ` +
    `${DEFAULT_USAGE.snapshotBaseGb} GB base snapshot + ${DEFAULT_USAGE.snapshotDailyChangeGb} GB/day, ${DEFAULT_USAGE.dumpGb * 1000} MB per dump, ` +
    `${DEFAULT_USAGE.scheduledRunHours} h/month for an instance with a stop schedule; free tier = ${FREE_TIER.metrics} metrics, ` +
    `${FREE_TIER.alarms} alarms, ${FREE_TIER.dashboards} dashboards, ${FREE_TIER.logsGb} GB logs per account.\n`,
);
process.exitCode = failed && process.argv.includes('--check') ? 1 : 0;

// Growth phases (README "Growing beyond one t3.micro"): `--growth` prices each phase's synthesized
// environment and the Atlas cluster (a documented input: scripts/lib/growth-cost.ts).
if (process.argv.includes('--growth')) printGrowthPhases();

function printGrowthPhases(): void {
  const atlas = arg('atlas-m10-hour');
  for (const region of regions) {
    const prices = PRICES[region];
    if (!prices) continue;
    process.stdout.write(`
growth phases in ${region} (USD/month, on-demand list prices, prod's settings)
`);
    for (const phase of GROWTH_PHASES) {
      const cost = pricePhase(phase, synthesizePhase(phase.config), prices, atlas ? Number(atlas) : undefined);
      process.stdout.write(
        `  ${phase.phase.padEnd(3)} ${phase.users.toLocaleString('en').padStart(6)} users  ${phase.layout.padEnd(42)}  ` +
          `${usd(cost.list)}  (free tier ${usd(cost.freeTier).trim()})\n`,
      );
    }
  }
  process.stdout.write(
    '  Atlas M10 is an input (mongodb.com/pricing, 2026; --atlas-m10-hour to override), not a template price.\n',
  );
}
