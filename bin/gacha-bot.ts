#!/usr/bin/env node
/** CDK app: one stack per environment, env-agnostic so `cdk synth` needs no AWS credentials. */
import { App } from 'aws-cdk-lib';
import { ENVIRONMENTS } from '../lib/config/environments';
import { GachaBotStack } from '../lib/stacks/gacha-bot-stack';

const app = new App();
for (const config of Object.values(ENVIRONMENTS)) {
  new GachaBotStack(app, config.stackName, {
    config,
    description: `Gacha bot (${config.name}): host, database, monitoring`,
    ...(process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
      ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }
      : {}),
  });
}
app.synth();
