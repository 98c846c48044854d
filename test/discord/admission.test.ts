/** Admission: bounded slots, a bounded waiting line, first come first served, release once. */
import { Admission } from '../../app/discord/admission';

it('runs up to the slots, lines up to the limit, then reports full; slots go to the line in order', async () => {
  const admission = new Admission(2, 2);
  const acknowledged: string[] = [];
  const enter = (name: string) =>
    admission.enter(() => {
      acknowledged.push(name);
      return Promise.resolve();
    });
  const a = await enter('a');
  const b = await enter('b');
  expect(acknowledged).toEqual([]); // a slot was free: no acknowledgement needed
  expect(admission.full).toBe(false);

  const order: string[] = [];
  const c = enter('c').then((release) => {
    order.push('c');
    return release;
  });
  const d = enter('d').then((release) => {
    order.push('d');
    return release;
  });
  expect(admission.full).toBe(true); // two running, two waiting
  await Promise.resolve();
  expect(acknowledged).toEqual(['c', 'd']); // told to acknowledge before waiting

  a();
  a(); // a second release of the same slot changes nothing
  const releaseC = await c;
  expect(order).toEqual(['c']);
  expect(admission.full).toBe(false);
  b();
  const releaseD = await d;
  expect(order).toEqual(['c', 'd']);
  releaseC();
  releaseD();
  // Both slots are free again: two enter without waiting, a third waits.
  await enter('e');
  await enter('f');
  let waited = false;
  void enter('g').then(() => {
    waited = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  expect(waited).toBe(false);
  expect(acknowledged).toEqual(['c', 'd', 'g']);
});

it('gives up a place in line after maxWaitMs while every slot stays taken, and frees the place', async () => {
  const admission = new Admission(1, 1);
  const held = await admission.enter(() => Promise.resolve());
  expect(held).not.toBeNull();
  // The one slot is never released (a command stuck on the database): the waiter must not wait forever.
  const waited = await admission.enter(() => Promise.resolve(), 20);
  expect(waited).toBeNull();
  // Its place in line is free again: the admission is not full, and a later arrival may line up.
  expect(admission.full).toBe(false);
  const later = admission.enter(() => Promise.resolve(), 60_000);
  expect(admission.full).toBe(true);
  held();
  const release = await later;
  expect(release).not.toBeNull();
  release?.();
  // The slot that timed-out waiter never got was not handed out or freed twice.
  const a = await admission.enter(() => Promise.resolve());
  let second = false;
  void admission
    .enter(() => Promise.resolve())
    .then(() => {
      second = true;
    });
  await new Promise((resolve) => setImmediate(resolve));
  expect(second).toBe(false);
  a();
});
