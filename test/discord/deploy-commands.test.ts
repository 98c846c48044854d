import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { COMMANDS } from '../../app/discord/command-registry';
import type { DiscordSimulator } from '../discord-simulator/discord-simulator';
import { useSimulator } from '../discord-simulator/use-simulator';
import { FAKE_TOKEN } from '../e2e/bot-process';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

async function deploy(sim: DiscordSimulator, ...args: string[]) {
  return run(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/deploy-commands.ts', ...args],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_APPLICATION_ID: sim.applicationId,
        DISCORD_API_BASE: sim.restBase,
      },
    },
  );
}

describe('npm run commands:deploy', () => {
  const env = useSimulator();

  it('bulk-overwrites every command globally, idempotently, with Japanese localizations', async () => {
    const first = await deploy(env.sim);
    expect(first.stdout).toMatch(new RegExp(`registered ${COMMANDS.length} commands globally`));
    const gachaId = env.sim.commandId('gacha');
    expect(gachaId).toMatch(/^\d{17,20}$/);
    await deploy(env.sim);
    // Like Discord, an overwrite keeps each command's id (mentions stay valid), and GET lists them.
    expect(env.sim.commandId('gacha')).toBe(gachaId);
    const listed = (await (
      await fetch(`${env.sim.restBase}/v10/applications/${env.sim.applicationId}/commands`)
    ).json()) as { name: string; id: string }[];
    expect(listed.find((c) => c.name === 'gacha')?.id).toBe(gachaId);
    expect(listed).toHaveLength(COMMANDS.length);
    const puts = env.sim.calls.filter((c) => c.method === 'PUT' && c.path.endsWith('/commands'));
    expect(puts).toHaveLength(2);
    const registered = env.sim.commands.get('global') as { name: string; name_localizations?: { ja?: string } }[];
    expect(registered.map((c) => c.name).sort()).toEqual(COMMANDS.map((c) => c.data.name).sort());
    expect(registered.find((c) => c.name === 'gacha')?.name_localizations?.ja).toBe('ガチャ');
    const admin = registered.find((c) => c.name === 'gacha-admin') as
      { default_member_permissions?: string } | undefined;
    expect(admin?.default_member_permissions).toBe('32');
  });

  it('registers to one guild for staging', async () => {
    const guildId = '123456789012345678';
    const result = await deploy(env.sim, '--guild', guildId);
    expect(result.stdout).toMatch(`in guild ${guildId}`);
    expect(env.sim.commands.get(guildId)).toHaveLength(COMMANDS.length);
  });
});
