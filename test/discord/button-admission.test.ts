/**
 * Buttons go through the same admission and reply session as slash commands: a confirm button that
 * writes (import, reset) waits for a command slot, is answered "busy" beyond the waiting line, and
 * is acknowledged (deferred) in time when it must wait or its work is slow. Autocomplete cannot be
 * deferred, so it never waits for a slot. A gate in the ledger holds chosen commits in flight, so
 * every state below is reached by events, not by timing.
 */
import { defaultCatalog } from '../../app/domain/default-catalog';
import { collections } from '../../app/storage/collections';
import type { FaultInjector } from '../../app/storage/ledger-follower';
import {
  type DiscordSimulator,
  EDIT_ORIGINAL,
  FOLLOW_UP,
  type InteractionReply,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
} from '../discord-simulator/discord-simulator';
import { type InProcessBot, startInProcessBot } from './in-process-bot';

const EPHEMERAL = 64;
const DEFERRED_UPDATE_MESSAGE = 6;
const AUTOCOMPLETE_RESULT = 8;
const ADMIN = String(PERMISSION_MANAGE_GUILD);

/** Holds ledger commits of the chosen kinds before they are written, until opened. */
class CommitGate {
  private kinds = new Set<string>();
  private held: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private heldWaiters: (() => void)[] = [];

  readonly injector: FaultInjector = {
    at: async (step, event) => {
      if (step !== 'before-commit' || !this.kinds.has(event.kind)) return;
      await new Promise<void>((resolve, reject) => {
        this.held.push({ resolve, reject });
        for (const waiter of this.heldWaiters.splice(0)) waiter();
      });
    },
  };

  close(...kinds: string[]): void {
    this.kinds = new Set(kinds);
  }

  /** Resolves once `count` commits are held. */
  async holding(count: number): Promise<void> {
    while (this.held.length < count) await new Promise<void>((resolve) => this.heldWaiters.push(resolve));
  }

  /** Lets the held commits go on (or fail with `error`) and holds no more. */
  open(error?: Error): void {
    this.kinds = new Set();
    for (const h of this.held.splice(0)) {
      if (error) h.reject(error);
      else h.resolve();
    }
  }
}

const gate = new CommitGate();
let bot: InProcessBot;
let sim: DiscordSimulator;
let guildId: string;

beforeAll(async () => {
  bot = await startInProcessBot(
    'Buttons',
    { maxConcurrent: 1, maxQueued: 1, deferAfterMs: 400 },
    { stores: { faults: gate.injector } },
  );
  sim = bot.sim;
  guildId = sim.guilds[0]?.id ?? '';
});

afterEach(() => {
  gate.open();
});

afterAll(async () => {
  await bot.close();
});

function text(reply: InteractionReply): string {
  return typeof reply.data.content === 'string' ? reply.data.content : '';
}

function daily(): string {
  return sim.sendInteraction({ guildId, member: { userId: simSnowflake() }, commandName: 'daily' });
}

function press(admin: string, customId: string): string {
  return sim.sendInteraction({
    guildId,
    member: { userId: admin, permissions: ADMIN },
    commandName: 'gacha-admin',
    customId,
  });
}

function resets(userId: string): Promise<number> {
  return collections(bot.database.db).ledger.countDocuments({ kind: 'reset', userId });
}

/** Takes the only command slot with a daily held in the ledger, then fills the waiting line. */
async function fillSlotAndLine(): Promise<string[]> {
  gate.close('daily');
  const running = daily();
  await gate.holding(1);
  const waiting = daily();
  expect((await sim.waitForReply(waiting)).type).toBe(5); // deferred while it waits: the line is full
  return [running, waiting];
}

it('answers a confirm button "busy" beyond a full waiting line, like a command, and resets nothing', async () => {
  const admin = simSnowflake();
  const target = simSnowflake();
  const dailies = await fillSlotAndLine();

  const confirm = press(admin, `gacha-admin:reset:${target}:${admin}`);
  const answer = await sim.waitForAnswer(confirm);
  expect(text(answer)).toMatch(/Too many requests at once/);
  expect(Number(answer.data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);

  gate.open();
  for (const id of dailies) expect(text(await sim.waitForAnswer(id))).toMatch(/Daily reward/);
  expect(await resets(target)).toBe(0);
});

it('acknowledges a confirm button that must wait for a slot at once, and applies it when the slot frees', async () => {
  const admin = simSnowflake();
  const catalog = defaultCatalog();
  catalog.pullCost = 120;
  const fileId = simSnowflake();
  const preview = await sim.waitForAnswer(
    sim.sendInteraction({
      guildId,
      member: { userId: admin, permissions: ADMIN },
      commandName: 'gacha-admin',
      subcommand: 'import',
      options: [{ name: 'file', type: 11, value: fileId }],
      attachments: [{ id: fileId, filename: 'pool.json', content: JSON.stringify(catalog) }],
    }),
  );
  expect(text(preview)).toMatch(/Preview: import/);
  const components = preview.data.components as { components: { custom_id: string }[] }[];
  const confirmId = components[0]?.components[0]?.custom_id ?? '';
  expect(confirmId).toMatch(/^gacha-admin:apply:/);
  const settings = collections(bot.database.db).settings;
  const revisionsBefore = await settings.countDocuments({ guildId });

  gate.close('daily');
  const running = daily();
  await gate.holding(1);
  const confirm = press(admin, confirmId);
  // Acknowledged before any work (Discord's 3 s window holds however long the wait is)…
  expect((await sim.waitForReply(confirm, 2_000)).type).toBe(DEFERRED_UPDATE_MESSAGE);
  // …and nothing written while the slot is taken.
  expect(await settings.countDocuments({ guildId })).toBe(revisionsBefore);

  gate.open();
  const answer = await sim.waitForAnswer(confirm);
  expect(answer.type).toBe(EDIT_ORIGINAL); // the preview message becomes the result
  expect(text(answer)).toMatch(/Applied: import/);
  expect(await settings.countDocuments({ guildId })).toBe(revisionsBefore + 1);
  expect(text(await sim.waitForAnswer(running))).toMatch(/Daily reward/);
});

it('defers a slow confirm button before Discord’s deadline and edits the message with the result', async () => {
  const admin = simSnowflake();
  const target = simSnowflake();
  gate.close('reset');
  const confirm = press(admin, `gacha-admin:reset:${target}:${admin}`);
  await gate.holding(1);
  expect((await sim.waitForReply(confirm, 2_000)).type).toBe(DEFERRED_UPDATE_MESSAGE);

  gate.open();
  const answer = await sim.waitForAnswer(confirm);
  expect(answer.type).toBe(EDIT_ORIGINAL);
  expect(text(answer)).toMatch(/Done: the progress of <@\d+> was reset/);
  expect(await resets(target)).toBe(1);
});

it('keeps a deferred button’s error private and leaves its message alone', async () => {
  const admin = simSnowflake();
  const target = simSnowflake();
  gate.close('reset');
  const confirm = press(admin, `gacha-admin:reset:${target}:${admin}`);
  await gate.holding(1);
  expect((await sim.waitForReply(confirm, 2_000)).type).toBe(DEFERRED_UPDATE_MESSAGE);

  gate.open(new Error('database went away'));
  const answer = await sim.waitForAnswer(confirm);
  expect(answer.type).toBe(FOLLOW_UP);
  expect(Number(answer.data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
  expect(text(answer)).toMatch(/Something went wrong/);
  expect(sim.repliesTo(confirm).filter((r) => r.type === EDIT_ORIGINAL)).toEqual([]);
  expect(sim.calls.some((c) => c.method === 'DELETE')).toBe(false);
  expect(await resets(target)).toBe(0);
});

it('answers autocomplete at once while every slot is taken and the line is full', async () => {
  const dailies = await fillSlotAndLine();
  const started = Date.now();
  const id = sim.sendInteraction({
    guildId,
    member: { userId: simSnowflake() },
    commandName: 'gacha',
    subcommand: 'pull',
    options: [{ name: 'banner', type: 3, value: 'stand' }],
    autocompleteOption: 'banner',
  });
  const reply = await sim.waitForReply(id, 2_500);
  expect(reply.type).toBe(AUTOCOMPLETE_RESULT);
  expect(reply.data.choices).toEqual([{ name: 'Standard Banner', value: 'standard' }]);
  expect(Date.now() - started).toBeLessThan(2_500);
  gate.open();
  for (const d of dailies) await sim.waitForAnswer(d);
});
