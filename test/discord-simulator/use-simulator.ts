import { DiscordSimulator } from './discord-simulator';

/** A simulator started before the file's tests and stopped after them. */
export function useSimulator(): { readonly sim: DiscordSimulator } {
  const holder = { sim: new DiscordSimulator() };
  beforeAll(async () => {
    await holder.sim.start();
  });
  afterAll(async () => {
    await holder.sim.stop();
  });
  return holder;
}
