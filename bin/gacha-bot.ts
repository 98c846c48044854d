#!/usr/bin/env node
/** CDK app: one stack per environment, env-agnostic so `cdk synth` needs no AWS credentials. */
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildGachaBotApp } from '../lib/gacha-bot-app';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
buildGachaBotApp(app, {
  bundleDir: path.resolve(__dirname, '..', 'dist', 'bot'),
  operatorEnv: process.env,
  ...(account && region ? { env: { account, region } } : {}),
});
app.synth();
