/**
 * Every command, subcommand and option has a Japanese name and description, and every name and
 * description is within Discord's rules (name regex, ≤ 32 characters; description 1–100), so each
 * client shows the commands in its own language.
 */
import type { APIApplicationCommandOption } from 'discord.js';
import { COMMANDS } from '../../app/discord/command-registry';

const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Localized {
  readonly name: string;
  readonly description: string;
  readonly name_localizations?: Partial<Record<string, string | null>> | null;
  readonly description_localizations?: Partial<Record<string, string | null>> | null;
  readonly options?: readonly APIApplicationCommandOption[];
}

function walk(node: Localized, path: string, out: { path: string; node: Localized }[]): void {
  out.push({ path, node });
  for (const option of node.options ?? []) walk(option, `${path} ${option.name}`, out);
}

const nodes: { path: string; node: Localized }[] = [];
for (const command of COMMANDS) walk(command.data, command.data.name, nodes);

it('covers every command and option', () => {
  expect(nodes.length).toBeGreaterThan(60);
});

it.each(nodes.map((n) => [n.path, n.node] as const))('%s has valid Japanese and English names', (_path, node) => {
  const jaName = node.name_localizations?.ja;
  const jaDescription = node.description_localizations?.ja;
  expect(typeof jaName).toBe('string');
  expect(typeof jaDescription).toBe('string');
  for (const name of [node.name, jaName ?? '']) {
    expect(name).toMatch(NAME);
    expect(name).toBe(name.toLowerCase());
  }
  for (const description of [node.description, jaDescription ?? '']) {
    expect(description.length).toBeGreaterThanOrEqual(1);
    expect(description.length).toBeLessThanOrEqual(100);
  }
});
