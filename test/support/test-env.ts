/**
 * Environment every test process starts with: a sealing key for the fairness seeds (the bot
 * requires GACHA_FAIRNESS_SEED_KEY; production reads it from an SSM SecureString). A fixed,
 * test-only key, so processes of one test run open each other's sealed seeds.
 */
import { TEST_SEED_KEY } from './seed-key';

process.env.GACHA_FAIRNESS_SEED_KEY ??= TEST_SEED_KEY;
