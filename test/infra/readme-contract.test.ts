import { readFileSync } from 'node:fs';
import path from 'node:path';
import { METRICS } from '../../app/contracts/metrics';
import { AGENT_METRICS } from '../../lib/constructs/cloudwatch-agent-config';
import { templateFor } from './synth-fixture';

const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README metric tables', () => {
  it('list every bot and agent metric of the contract', () => {
    for (const metric of Object.values(METRICS)) expect(readme).toContain(`| \`${metric.name}\``);
    for (const name of Object.values(AGENT_METRICS)) expect(readme).toContain(`\`${name}\``);
  });

  it('name every alarm the stack creates', () => {
    const alarms = templateFor('prod').findResources('AWS::CloudWatch::Alarm') as Record<
      string,
      { Properties: { AlarmName: string } }
    >;
    for (const alarm of Object.values(alarms)) {
      expect(readme).toContain(`\`${alarm.Properties.AlarmName.replace('gacha-bot-prod-', '')}\``);
    }
  });
});
