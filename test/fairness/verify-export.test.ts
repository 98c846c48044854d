/**
 * The verifier recomputes 10,000 pulls exactly, and names the place of every kind of tampering:
 * an altered history document, a revealed seed that is not the committed one, an altered rate
 * revision, a missing event.
 */
import { typescriptHmacSha256 } from '../../app/domain/fairness/sha256';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';
import { type VerificationReport, verifyExport } from '../../app/verifier/verify-export';
import { reportLines } from '../../app/verifier/report-text';
import type { ExportedPull, FairnessExport } from '../../app/verifier/export-format';
import { seedCommitment } from '../../app/domain/fairness/seeds';
import { fixedSeed, simulateHistory } from './support/fairness-fixtures';

/** Tampering is checked on a shorter history; the full 10,000 pulls are recomputed once. */
const { exported } = simulateHistory(2_000, { perEpoch: 500 });

/** The CLI's verification (node:crypto's HMAC-SHA-256). */
function verify(input: unknown): VerificationReport {
  return verifyExport(input, { hmac: nodeHmacSha256 });
}

function copy(): FairnessExport {
  return structuredClone(exported);
}

function pullAt(data: FairnessExport, index: number): ExportedPull {
  const pulls = data.events.filter((e): e is ExportedPull => e.kind === 'pull');
  const pull = pulls[index];
  if (!pull) throw new Error('no such pull');
  return pull;
}

describe('verifyExport', () => {
  it('recomputes 10,000 pulls of a real engine run exactly', () => {
    const report = verify(simulateHistory(10_000, { perEpoch: 2_500 }).exported);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, pulls: 10_000, verified: 10_000, pending: 0 });
    expect(reportLines(report, 'en')[0]).toBe('Verified: nothing was altered.');
    expect(reportLines(report, 'ja')[0]).toBe('検証成功: 改変は見つかりませんでした。');
  });

  it("verifies the same history with the browser page's plain-TypeScript HMAC-SHA-256", () => {
    const report = verifyExport(copy(), { hmac: typescriptHmacSha256 });
    expect(report).toMatchObject({ ok: true, pulls: 2_000, verified: 2_000, pending: 0, failures: [] });
  });

  it('names the sequence and slot of an altered history document', () => {
    const data = copy();
    const pull = pullAt(data, 1_234);
    const slot = pull.items.length - 1;
    const item = pull.items[slot]!;
    item.itemId = item.itemId === 'wooden-sword' ? 'rice-ball' : 'wooden-sword';
    item.tierId = 'N';
    const report = verify(data);
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ code: 'result-mismatch', seq: pull.seq, slot })]);
    expect(reportLines(report, 'en').join('\n')).toContain(`[seq ${pull.seq}, slot ${slot + 1}]`);
  });

  it('names the epoch whose revealed seed is not the committed one', () => {
    const data = copy();
    data.epochs[2]!.serverSeed = fixedSeed('another seed');
    const report = verify(data);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ code: 'seed-commitment-mismatch', epoch: 2 });
    // Swapping the commitment as well still fails: every pull of the epoch then mismatches.
    data.epochs[2]!.commitment = seedCommitment(fixedSeed('another seed'));
    const swapped = verify(data);
    expect(swapped.failures[0]).toMatchObject({ code: 'result-mismatch' });
    expect(swapped.failures.length).toBeGreaterThan(100);
  });

  it('names an altered rate revision and a pull that names another hash', () => {
    const data = copy();
    const catalog = data.rateRevisions[0]!.catalog as { tiers: { id: string; ratePpm: number }[] };
    catalog.tiers.find((t) => t.id === 'UR')!.ratePpm += 1_000;
    catalog.tiers.find((t) => t.id === 'N')!.ratePpm -= 1_000;
    const report = verify(data);
    expect(report.failures[0]).toMatchObject({ code: 'rate-revision-hash-mismatch', revision: 1 });
    const renamed = copy();
    pullAt(renamed, 10).rateHash = 'f'.repeat(64);
    expect(verify(renamed).failures).toEqual([
      expect.objectContaining({ code: 'rate-hash-mismatch', seq: pullAt(renamed, 10).seq }),
    ]);
  });

  it('reports missing events, a broken pity chain and pulls after the reveal', () => {
    const data = copy();
    const removed = data.events.splice(100, 1)[0]!;
    expect(verify(data).failures).toContainEqual(expect.objectContaining({ code: 'sequence-gap', seq: removed.seq }));
    const chain = copy();
    const pull = pullAt(chain, 500);
    pull.pityBefore = { ...pull.pityBefore, sinceTop: pull.pityBefore.sinceTop + 1 };
    const codes = verify(chain).failures.map((f) => f.code);
    expect(codes).toContain('pity-chain-broken');
    const late = copy();
    late.epochs[0]!.revealedAt = late.epochs[0]!.startedAt;
    expect(verify(late).failures[0]).toMatchObject({ code: 'pull-after-reveal', epoch: 0 });
  });

  it('counts pulls of an unrevealed epoch as pending, not verified', () => {
    const { exported: open } = simulateHistory(300, { perEpoch: 100, lastUnrevealed: true });
    const report = verify(open);
    expect(report).toMatchObject({ ok: true, pulls: 300, verified: 200, pending: 100, unrevealedEpochs: [2] });
    expect(reportLines(report, 'ja').join('\n')).toContain('未公開のエポック: 2');
  });

  it('rejects a file that is not an export, saying where', () => {
    const report = verify({ format: 'something-else' });
    expect(report.ok).toBe(false);
    expect(report.failures[0]!.code).toBe('invalid-export');
    expect(report.failures[0]!.detail).toContain('format');
  });
});
