import { parseHealth, summarise } from '../../scripts/lib/health-sampler';

describe('bench health sampler', () => {
  it('reads the backlog, the command slots and the database pool from /healthz', () => {
    const body = JSON.stringify({
      status: 'ok',
      projectionBacklog: { items: 120, bytes: 4096, lagSeconds: 1.5, bound: 400, saturated: true },
      waitingOn: {
        interactions: { inFlight: 40, running: 32, waiting: 8, pending: 0 },
        databasePool: { checkedOut: 20, waiting: 3 },
      },
    });
    expect(parseHealth(body, 7)).toEqual({
      at: 7,
      backlogItems: 120,
      backlogBound: 400,
      saturated: true,
      running: 32,
      waiting: 8,
      poolCheckedOut: 20,
      poolWaiting: 3,
    });
  });

  it('counts what is missing as 0 (an older bot without the fields)', () => {
    expect(parseHealth('{"status":"ok"}', 1)).toMatchObject({
      backlogItems: 0,
      backlogBound: 0,
      saturated: false,
      running: 0,
    });
  });

  it('summarises a phase: maxima, the bound range and the share of samples refusing charges', () => {
    const sample = (backlogItems: number, backlogBound: number, saturated: boolean, waiting: number) => ({
      at: 0,
      backlogItems,
      backlogBound,
      saturated,
      running: 32,
      waiting,
      poolCheckedOut: 5,
      poolWaiting: 0,
    });
    expect(
      summarise([
        sample(10, 300, false, 0),
        sample(350, 320, true, 4),
        sample(200, 310, true, 1),
        sample(0, 300, false, 0),
      ]),
    ).toBe(
      'bot state (4 samples): projection backlog max 350 (bound 300–320), refusing charges in 50 % of samples;' +
        ' commands running max 32, waiting max 4; database pool checked out max 5, waiting max 0',
    );
    expect(summarise([])).toBe('bot state: no health sample');
  });
});
