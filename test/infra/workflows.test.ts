import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('GitHub workflows', () => {
  const ci = read('.github/workflows/ci.yml');
  const deploy = read('.github/workflows/deploy.yml');
  const readme = read('README.md');

  it("CI runs the README's test command against a MongoDB service container", () => {
    const testCommand = /\n(npm test)\s+#/.exec(readme)?.[1];
    expect(testCommand).toBe('npm test');
    expect(ci).toContain(`run: ${testCommand ?? ''}`);
    expect(ci).toMatch(/services:\s+mongo:\s+image: mongo:8/);
    expect(ci).toContain('MONGODB_URI: mongodb://127.0.0.1:27017');
    for (const step of [
      'npm run lint',
      'npm run format:check',
      'npm run typecheck',
      'npm run synth',
      'npm run bundle',
    ]) {
      expect(ci).toContain(step);
    }
    expect(ci).toContain('npm audit --omit=dev --audit-level=high');
    expect(ci).toContain('GITHUB_STEP_SUMMARY');
  });

  it('deploys with OIDC only, least permissions per job, never two at once, prod behind its environment', () => {
    expect(deploy).toMatch(/^permissions: \{\}$/m);
    expect(deploy).toMatch(/concurrency:\s+group: deploy-\$\{\{ github\.repository \}\}\s+cancel-in-progress: false/);
    expect(deploy).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET/i);
    expect(deploy.match(/id-token: write/g)).toHaveLength(3);
    expect(deploy).toMatch(/prod:\s+name: deploy prod\s+needs: staging/);
    expect(deploy).toMatch(/environment: prod\n/);
    expect(deploy).toContain('run-ssm-document.sh GachaBot-staging HealthDocument');
    expect(deploy).toContain('RollbackDocument');
    expect(ci).toMatch(/^permissions:\s+contents: read$/m);
  });
});
