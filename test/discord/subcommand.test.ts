/**
 * composeCommand: subcommands in their own modules make one command (routing by subcommand name and
 * by button action, one owner each; per-subcommand cooldown groups). Running a composed command
 * end to end is covered by the bot's integration and e2e tests.
 */
import { SlashCommandBuilder } from 'discord.js';
import type { CommandReply } from '../../app/discord/command';
import { adminCommand } from '../../app/discord/commands/admin-command';
import { gachaCommand } from '../../app/discord/commands/gacha-command';
import { composeCommand, routeSubcommands, type ButtonHandler, type Subcommand } from '../../app/discord/subcommand';

function sub(name: string, extra: Partial<Subcommand> = {}): Subcommand {
  return {
    name,
    build: (sc) => sc.setDescription(`${name} description`),
    execute: (): Promise<CommandReply> => Promise.resolve({ content: `ran ${name}` }),
    ...extra,
  };
}
const handler: ButtonHandler = () => Promise.resolve({ content: 'pressed' });
const base = () => new SlashCommandBuilder().setName('demo').setDescription('Demo');

it('lists every subcommand in the command data with its cooldown group', () => {
  const command = composeCommand({
    builder: base(),
    adminOnly: false,
    cooldown: 'pull',
    subcommands: [sub('a'), sub('b', { cooldown: 'other' })],
    unknownButton: () => ({ content: 'expired' }),
  });
  expect(command.data.options?.map((o) => o.name)).toEqual(['a', 'b']);
  expect(command.cooldownOf?.('a')).toBe('pull');
  expect(command.cooldownOf?.('b')).toBe('other');
});

it('finds the subcommand of a name and the owner of a button action', () => {
  const a = sub('a', { buttons: { confirm: handler } });
  const b = sub('b');
  const router = routeSubcommands([a, b]);
  expect(router.subcommand('b')).toBe(b);
  expect(router.subcommand('c')).toBeUndefined();
  expect(router.button('confirm')).toBe(handler);
  expect(router.button('gone')).toBeUndefined();
});

it('refuses two subcommands of one name or two owners of one button action', () => {
  expect(() => routeSubcommands([sub('a'), sub('a')])).toThrow('duplicate subcommand a');
  const owner = { buttons: { go: handler } };
  expect(() => routeSubcommands([sub('a', owner), sub('b', owner)])).toThrow('duplicate button action go');
});

it('/gacha rates and banners do not spend the pull cooldown; pull and spark do', () => {
  expect(gachaCommand.cooldownOf?.('pull')).toBe('pull');
  expect(gachaCommand.cooldownOf?.('spark')).toBe('pull');
  expect(gachaCommand.cooldownOf?.('rates')).toBe('other');
  expect(gachaCommand.cooldownOf?.('banners')).toBe('other');
  expect(adminCommand.cooldownOf?.('import')).toBe('none');
});
