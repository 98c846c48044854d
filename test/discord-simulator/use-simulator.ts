import { DiscordSimulator } from './discord-simulator';

/**
 * A simulator started before the file's tests and stopped after them. After the file it checks
 * that Discord would have accepted every reply (none refused by the limits in reply-limits.ts).
 */
export function useSimulator(): { readonly sim: DiscordSimulator } {
  const holder = { sim: new DiscordSimulator() };
  beforeAll(async () => {
    await holder.sim.start();
  });
  afterAll(async () => {
    await holder.sim.stop();
    expect(holder.sim.rejected.map((r) => ({ path: r.path, errors: r.errors }))).toEqual([]);
  });
  return holder;
}
