/** StallWatch: one warning per stall — every slot taken and nothing answered for the given time. */
import { StallWatch } from '../../app/observability/diagnostics';

it('warns once when every slot stays taken with no answer, and again only after progress', () => {
  let now = 0;
  const watch = new StallWatch(4, 30_000, () => now);
  const full = { running: 4, waiting: 10 };
  expect(watch.check(full)).toBe(false);
  now = 29_999;
  expect(watch.check(full)).toBe(false); // not yet 30 s without an answer
  now = 30_000;
  expect(watch.check(full)).toBe(true);
  now = 60_000;
  expect(watch.check(full)).toBe(false); // the same stall is reported once
  watch.noteAnswered();
  expect(watch.check(full)).toBe(false); // an answer is progress: the clock starts again
  now = 89_999;
  expect(watch.check(full)).toBe(false);
  now = 90_000;
  expect(watch.check(full)).toBe(true); // a new stall
});

it('does not warn while a slot is free, however long nothing is answered (an idle bot)', () => {
  let now = 0;
  const watch = new StallWatch(4, 30_000, () => now);
  now = 3_600_000;
  expect(watch.check({ running: 3, waiting: 0 })).toBe(false);
  // Slots fill up only now: the 30 s count from here.
  expect(watch.check({ running: 4, waiting: 1 })).toBe(false);
  now += 30_000;
  expect(watch.check({ running: 4, waiting: 1 })).toBe(true);
});
