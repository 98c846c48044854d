import { COMMANDS } from '../../app/discord/command-registry';
import { DevInputError, devUserId, formatReply, parseCommandLine, tokenize } from '../../scripts/lib/dev-commands';

const commands = COMMANDS.map((c) => c.data);
const env = {
  userId: devUserId,
  readFile: (path: string) => `{"from":"${path}"}`,
  snowflake: () => '123456789012345678',
};

describe('npm run dev command lines', () => {
  it('types options from the command definitions', () => {
    expect(parseCommandLine('/gacha pull count:10 banner:"standard"', commands, env)).toEqual({
      commandName: 'gacha',
      subcommand: 'pull',
      options: [
        { name: 'count', type: 4, value: 10 },
        { name: 'banner', type: 3, value: 'standard' },
      ],
      attachments: [],
    });
    expect(parseCommandLine('/daily', commands, env)).toEqual({ commandName: 'daily', options: [], attachments: [] });
  });

  it('attaches files given as @path and resolves user names to stable ids', () => {
    const parsed = parseCommandLine('/gacha-admin import file:@fixtures/pool.json', commands, env);
    expect(parsed.attachments).toEqual([
      { id: '123456789012345678', filename: 'pool.json', content: '{"from":"fixtures/pool.json"}' },
    ]);
    expect(parsed.options).toEqual([{ name: 'file', type: 11, value: '123456789012345678' }]);
    expect(devUserId('alice')).toMatch(/^\d{18}$/);
    expect(devUserId('alice')).toBe(devUserId('alice'));
    expect(devUserId('alice')).not.toBe(devUserId('bob'));
  });

  it('explains what is wrong', () => {
    const error = (line: string) => {
      try {
        parseCommandLine(line, commands, env);
      } catch (e) {
        return e instanceof DevInputError ? e.message : `not a DevInputError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(error('gacha pull')).toMatch(/starts with \//);
    expect(error('/nope')).toMatch(/unknown command \/nope; commands: gacha, daily/);
    expect(error('/gacha')).toMatch(/needs a subcommand: .*pull/);
    expect(error('/gacha pull count:ten')).toMatch(/count takes an integer/);
    expect(error('/gacha pull colour:red')).toMatch(/unknown option colour; options: count, banner/);
    expect(error('/gacha pull 10')).toMatch(/name:value/);
    expect(error('/gacha-admin import file:pool.json')).toMatch(/file:@path/);
  });

  it('splits on spaces outside quotes', () => {
    expect(tokenize(`/x a:"two words" b:'it is' c:plain`)).toEqual(['/x', 'a:two words', 'b:it is', 'c:plain']);
  });

  it('formats a reply as the player reads it', () => {
    const reply = formatReply({
      flags: 64,
      content: 'hello',
      embeds: [{ title: 'T', description: 'D', fields: [{ name: 'F', value: 'V' }], footer: { text: 'foot' } }],
      components: [{ type: 1, components: [{ type: 2, custom_id: 'history:page:1', label: '▶', disabled: true }] }],
    });
    expect(reply.text).toBe(
      ['(only you can see this)', 'hello', '== T ==', 'D', '- F: V', '(foot)', '[1] ▶ (disabled)'].join('\n'),
    );
    expect(reply.buttons).toEqual(['history:page:1']);
  });
});
