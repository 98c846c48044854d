/**
 * `npm run cost -- --growth`: each roadmap phase priced from its synthesized environment with the
 * same cost model as the environments, plus Atlas M10 as a documented input (never a template).
 */
import { type CfnTemplate, HOURS_PER_MONTH, PRICES, priceTemplate, total } from '../../scripts/lib/cost-model';
import { ATLAS_TIERS, GROWTH_PHASES, type PhaseCost, pricePhase, synthesizePhase } from '../../scripts/lib/growth-cost';
import { templateFor } from './synth-fixture';

const prices = PRICES['us-east-1'];
if (!prices) throw new Error('no us-east-1 prices');
const costs = new Map<string, PhaseCost>();
beforeAll(() => {
  for (const phase of GROWTH_PHASES) costs.set(phase.phase, pricePhase(phase, synthesizePhase(phase.config), prices));
}, 180_000);

function cost(phase: string): PhaseCost {
  const c = costs.get(phase);
  if (!c) throw new Error(`no phase ${phase}`);
  return c;
}
const items = (phase: string) => cost(phase).lines.map((l) => l.item);

it('prices phase 1 exactly as the prod environment is priced', () => {
  const prod = priceTemplate(templateFor('prod').toJSON() as CfnTemplate, prices);
  expect(cost('1').list).toBeCloseTo(total(prod), 6);
  expect(items('1')).toContain('EBS gp3 data volume');
  expect(items('1').filter((i) => i.includes('Atlas'))).toEqual([]);
});

it('prices the bigger instance, the second instance and Atlas in the later phases', () => {
  expect(items('2a')).toContain('EC2 t3.small (on-demand)');
  expect(items('2a')).toContain('EBS gp3 data volume');
  for (const phase of ['2b', '3']) {
    expect(items(phase)).not.toContain('EBS gp3 data volume');
    const atlas = cost(phase).lines.find((l) => l.item.startsWith('MongoDB Atlas M10'));
    expect(atlas?.usd).toBeCloseTo((ATLAS_TIERS['us-east-1']?.m10Hour ?? 0) * HOURS_PER_MONTH, 6);
  }
  expect(items('3').filter((i) => i === 'EC2 t3.small (on-demand)')).toHaveLength(2);
  const lists = ['1', '2a', '2b', '3'].map((p) => cost(p).list);
  for (let i = 1; i < lists.length; i++) expect(lists[i]).toBeGreaterThan(lists[i - 1] ?? Infinity);
});

it('takes the Atlas price as an input that can be overridden', () => {
  const phase = GROWTH_PHASES.find((p) => p.phase === '3');
  if (!phase) throw new Error('no phase 3');
  const cheaper = pricePhase(phase, synthesizePhase(phase.config), prices, 0.05);
  expect(cost('3').list - cheaper.list).toBeCloseTo((0.08 - 0.05) * HOURS_PER_MONTH, 6);
}, 60_000);

it("bills the agent's series once per host (each host's InstanceId is a series of its own)", () => {
  const series = (phase: string, item: string) => cost(phase).lines.find((l) => l.item === item);
  for (const item of ['metric CWAgent/mem_used_percent', 'metric CWAgent/disk_used_percent']) {
    const oneHost = series('2b', item);
    const twoHosts = series('3', item);
    expect(oneHost?.quantity).toBe('1.00 series-months');
    expect(twoHosts?.quantity).toBe('2.00 series-months');
    expect(twoHosts?.usd).toBeCloseTo(2 * (oneHost?.usd ?? 0), 6);
  }
});
