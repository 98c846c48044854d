/**
 * The interaction handler in-process with the real discord.js client against the simulator, set to
 * defer at once: a deferred answer arrives as an edit, and a deferred error stays private (an
 * ephemeral follow-up replaces the public "thinking…" message).
 */
import { type DiscordSimulator, EDIT_ORIGINAL, FOLLOW_UP, simSnowflake } from '../discord-simulator/discord-simulator';
import { type InProcessBot, startInProcessBot } from './in-process-bot';

const EPHEMERAL = 64;
let bot: InProcessBot;
let sim: DiscordSimulator;

beforeAll(async () => {
  bot = await startInProcessBot('Deferred', {
    deferAfterMs: 0,
  });
  sim = bot.sim;
});

afterAll(async () => {
  await bot.close();
});

it('edits the deferred reply with the answer', async () => {
  const guildId = sim.guilds[0]?.id ?? '';
  const id = sim.sendInteraction({ guildId, member: { userId: simSnowflake() }, commandName: 'daily' });
  const answer = await sim.waitForAnswer(id);
  expect(sim.repliesTo(id)[0]?.type).toBe(5);
  expect(answer.type).toBe(EDIT_ORIGINAL);
  expect(String(answer.data.content)).toMatch(/Daily reward: \+300/);
});

it('keeps a deferred error private with an ephemeral follow-up', async () => {
  const guildId = sim.guilds[0]?.id ?? '';
  const user = simSnowflake();
  const first = sim.sendInteraction({ guildId, member: { userId: user }, commandName: 'daily' });
  await sim.waitForAnswer(first);
  await new Promise((r) => setTimeout(r, 1_100)); // past the 1 s command cooldown
  const again = sim.sendInteraction({ guildId, member: { userId: user }, commandName: 'daily', locale: 'ja' });
  const answer = await sim.waitForAnswer(again);
  expect(answer.type).toBe(FOLLOW_UP);
  expect(Number(answer.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
  expect(String(answer.data.content)).toMatch(/受け取り済み/);
  await new Promise((r) => setTimeout(r, 100));
  expect(sim.calls.some((c) => c.method === 'DELETE' && c.path.includes('/messages/'))).toBe(true);
});

it('a button whose form could not open before the deferral gets a private "try again", never silence', async () => {
  // Deferred at once, "Change my side" can no longer answer with its form (Discord allows a form
  // only as the first answer): the member is told privately instead of seeing nothing happen.
  const guildId = sim.guilds[0]?.id ?? '';
  const [a, b] = [simSnowflake(), simSnowflake()];
  const proposal = sim.sendInteraction({
    guildId,
    member: { userId: a },
    commandName: 'trade',
    options: [
      { name: 'member', type: 6, value: b },
      { name: 'give-amount', type: 4, value: 10 },
    ],
    resolvedUsers: [{ id: b }],
  });
  const offer = await sim.waitForAnswer(proposal);
  const rows = (offer.data.components ?? []) as { components?: { custom_id?: string }[] }[];
  const counter = rows
    .flatMap((r) => (r.components ?? []).flatMap((c) => (c.custom_id ? [c.custom_id] : [])))
    .find((id) => id.startsWith('trade:counter:'));
  if (!counter) throw new Error(`no counter button in ${JSON.stringify(offer.data)}`);
  const press = sim.sendInteraction({ guildId, member: { userId: b }, commandName: '', customId: counter });
  const answer = await sim.waitForAnswer(press);
  expect(answer.type).toBe(FOLLOW_UP);
  expect(Number(answer.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
  expect(String(answer.data.content)).toMatch(/try again/i);
});
