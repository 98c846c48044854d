/**
 * `npm run cost [-- --env staging|prod] [--region us-east-1|ap-northeast-1]` — prices the
 * synthesized template (run `npm run synth` first) at on-demand list prices and prints the
 * monthly total per environment against the 12 USD target.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type CfnTemplate, DEFAULT_USAGE, PRICES, priceTemplate, total } from './lib/cost-model';

const TARGET_USD = 12;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const envs = arg('env') ? [arg('env') as string] : ['staging', 'prod'];
const regions = arg('region') ? [arg('region') as string] : Object.keys(PRICES);
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
    const sum = total(lines);
    const width = Math.max(...lines.map((l) => l.item.length));
    process.stdout.write(`\nGachaBot-${env} in ${region} (USD/month, on-demand list prices)\n`);
    for (const line of lines) {
      process.stdout.write(`  ${line.item.padEnd(width)}  ${line.usd.toFixed(2).padStart(6)}  ${line.quantity}\n`);
    }
    const verdict = sum <= TARGET_USD ? 'within' : 'ABOVE';
    process.stdout.write(
      `  ${'total'.padEnd(width)}  ${sum.toFixed(2).padStart(6)}  (${verdict} the ${TARGET_USD} USD target)\n`,
    );
    if (sum > TARGET_USD) failed = true;
  }
}
process.stdout.write(
  `\nassumptions: ${DEFAULT_USAGE.interactionsPerDay.toLocaleString('en')} interactions/day, ${DEFAULT_USAGE.activeCommands} active commands, ` +
    `${DEFAULT_USAGE.snapshotBaseGb} GB base snapshot + ${DEFAULT_USAGE.snapshotDailyChangeGb} GB/day, ${DEFAULT_USAGE.dumpGb * 1000} MB per dump; ` +
    'no free tier counted.\n',
);
process.exitCode = failed && process.argv.includes('--check') ? 1 : 0;
