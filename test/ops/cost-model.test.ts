import { type CfnTemplate, HOURS_PER_MONTH, PRICES, priceTemplate, total } from '../../scripts/lib/cost-model';
import { templateFor } from '../infra/synth-fixture';

const usEast = PRICES['us-east-1'];

describe('cost model', () => {
  if (!usEast) throw new Error('no us-east-1 prices');
  const staging = priceTemplate(templateFor('staging').toJSON() as CfnTemplate, usEast);
  const prod = priceTemplate(templateFor('prod').toJSON() as CfnTemplate, usEast);
  const line = (lines: typeof staging, prefix: string) => lines.find((l) => l.item.startsWith(prefix));

  it('prices the instance, its volume and its public IPv4 address from the template', () => {
    expect(line(staging, 'EC2 t3.micro')?.usd).toBeCloseTo(0.0104 * HOURS_PER_MONTH, 5);
    expect(line(staging, 'EBS gp3')?.usd).toBeCloseTo(8 * 0.08, 5);
    expect(line(staging, 'EBS gp3 data volume')?.usd).toBeCloseTo(2 * 0.08, 5);
    expect(line(staging, 'Public IPv4')?.usd).toBeCloseTo(0.005 * HOURS_PER_MONTH, 5);
  });

  it('counts alarms and dashboards from the template and adds prod-only costs', () => {
    expect(line(staging, 'CloudWatch alarms')?.quantity).toBe('13');
    expect(line(prod, 'CloudWatch alarms')?.quantity).toBe('14');
    expect(line(staging, 'CloudWatch dashboard')?.usd).toBe(0);
    expect(line(prod, 'CloudWatch dashboard')?.usd).toBe(3);
    expect(line(staging, 'Cross-region')).toBeUndefined();
    expect(line(prod, 'Cross-region')?.usd).toBeGreaterThan(0);
    expect(total(prod)).toBeGreaterThan(total(staging));
  });

  it('fails loudly on an instance type it has no price for', () => {
    const template: CfnTemplate = {
      Resources: { I: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 'x9.huge' } } },
    };
    expect(() => priceTemplate(template, usEast)).toThrow(/no price for instance type x9.huge/);
  });
});
