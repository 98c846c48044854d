import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

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

  it('runs the real ensure-users.js against docker run mongo:8.0 --auth, and checks the systemd units', () => {
    const jobs = loadWorkflow('.github/workflows/ci.yml').jobs;
    const runs = (job: string) => (jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(runs('mongodb-users')).toContain('scripts/ci/mongodb-users-check.sh');
    const check = read('scripts/ci/mongodb-users-check.sh');
    expect(check).toMatch(/docker run [^\n]*"\$image" --auth/);
    expect(check).toContain('image=${MONGO_IMAGE:-mongo:8.0}');
    expect(check.match(/^ensure_users /gm)).toHaveLength(3);
    expect(runs('systemd-units')).toContain('scripts/ci/check-units.sh');
    expect(read('.ci/run')).toContain('scripts/ci/check-units.sh');
  });

  it('deploys with OIDC only, least permissions per job, never two at once, prod behind its environment', () => {
    expect(deploy).toMatch(/^permissions: \{\}$/m);
    expect(deploy).toMatch(/concurrency:\s+group: deploy-\$\{\{ github\.repository \}\}\s+cancel-in-progress: false/);
    expect(deploy).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET/i);
    expect(deploy.match(/id-token: write/g)).toHaveLength(3);
    expect(deploy).toMatch(/prod:\s+name: deploy prod\s+needs: staging/);
    expect(deploy).toMatch(/environment: prod\n/);
    expect(deploy).toContain('scripts/ci/smoke-check.sh GachaBot-staging');
    expect(deploy).toContain('RollbackDocument');
    expect(ci).toMatch(/^permissions:\s+contents: read$/m);
  });
});

// ---------------------------------------------------------------------------------------------
// Who can reach a deploy job? A small evaluator of GitHub's expression language (the subset the
// workflows use; anything else throws) runs every job's `if:` under each way the workflow can be
// triggered — including the hostile ones: a CI run of a fork's pull request whose branch is also
// named `main`, a same-repository pull request, a dispatch from another branch.

type Value = string | number | boolean | null | Record<string, unknown>;
type Context = Record<string, unknown>;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*('(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|,|[A-Za-z_][\w.-]*|\d+)/y;
  let index = 0;
  while (/\S/.test(source.slice(index))) {
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (!match?.[1]) throw new Error(`cannot parse expression at: ${source.slice(index)}`);
    tokens.push(match[1]);
    index = pattern.lastIndex;
  }
  return tokens;
}

function lookup(context: Context, dotted: string): Value {
  let current: unknown = context;
  for (const part of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined) return null;
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') return current;
  if (current === null) return null;
  return current as Record<string, unknown>;
}

/** A value as GitHub compares it in string functions (lower case; objects are not strings). */
const text = (v: Value | undefined): string => {
  if (v !== null && typeof v === 'object') throw new Error('string function on an object');
  return String(v ?? '').toLowerCase();
};

const truthy = (v: Value): boolean => !(v === false || v === 0 || v === '' || v === null);

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

interface StatusFunctions {
  readonly success: boolean;
  readonly failure: boolean;
}

function evaluate(expression: string, context: Context, status: StatusFunctions): Value {
  const tokens = tokenize(expression.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1'));
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string): string => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`expected ${expected ?? 'a token'} in ${expression}`);
    }
    return token;
  };
  const primary = (): Value => {
    const token = take();
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (peek() === '(') {
      take('(');
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') take(',');
      }
      take(')');
      switch (token) {
        case 'success':
          return status.success;
        case 'failure':
          return status.failure;
        case 'always':
          return true;
        case 'cancelled':
          return false;
        case 'contains':
          return text(args[0]).includes(text(args[1]));
        case 'startsWith':
          return text(args[0]).startsWith(text(args[1]));
        default:
          throw new Error(`unsupported function ${token}() in ${expression}`);
      }
    }
    return lookup(context, token);
  };
  const comparison = (): Value => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = primary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek() === '&&') {
      take();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`trailing tokens in ${expression}`);
  return value;
}

interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string>;
  readonly steps?: { uses?: string; run?: string; with?: Record<string, unknown> }[];
}

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

function loadWorkflow(file: string): Workflow {
  const parsed = parse(read(file)) as { on?: unknown; jobs?: Record<string, Job> };
  const on = parsed.on;
  const triggers: Record<string, unknown> =
    typeof on === 'string'
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries((on as string[]).map((e) => [e, null]))
        : ((on ?? {}) as Record<string, unknown>);
  return { on: triggers, jobs: parsed.jobs ?? {} };
}

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat());

/** A job that gets AWS credentials or runs a deploy, rollback or SSM document. */
function isDeployJob(job: Job): boolean {
  return (
    job.permissions?.['id-token'] === 'write' ||
    (job.steps ?? []).some(
      (s) =>
        (s.uses ?? '').startsWith('aws-actions/configure-aws-credentials') ||
        /cdk deploy|npm run deploy|run-ssm-document|smoke-check/.test(s.run ?? ''),
    )
  );
}

/** Jobs that can run under `context` (a job whose needs did not all run sees success() false). */
function reachableJobs(workflow: Workflow, context: Context): Set<string> {
  const ran = new Map<string, boolean>();
  const visit = (name: string): boolean => {
    const known = ran.get(name);
    if (known !== undefined) return known;
    const job = workflow.jobs[name];
    if (!job) throw new Error(`unknown job ${name}`);
    const allNeedsRan = needsOf(job).every(visit);
    const status = { success: allNeedsRan, failure: allNeedsRan && needsOf(job).length > 0 };
    const condition = job.if ?? 'success()';
    const usesStatus = /\b(success|failure|always|cancelled)\(\)/.test(condition);
    const result = truthy(evaluate(usesStatus ? condition : `success() && (${condition})`, context, status));
    ran.set(name, result);
    return result;
  };
  return new Set(Object.keys(workflow.jobs).filter(visit));
}

const REPOSITORY = 'owner/gacha-bot';

function workflowRunContext(event: string, headRepository: string, headBranch: string, conclusion: string): Context {
  return {
    github: {
      event_name: 'workflow_run',
      repository: REPOSITORY,
      ref: 'refs/heads/main', // workflow_run always runs on the default branch
      event: {
        workflow_run: {
          event,
          conclusion,
          head_branch: headBranch,
          head_sha: 'f'.repeat(40),
          head_repository: { full_name: headRepository },
          repository: { full_name: REPOSITORY },
        },
      },
    },
    inputs: {},
    vars: {},
  };
}

function dispatchContext(ref: string, action: string, environment: string): Context {
  return {
    github: {
      event_name: 'workflow_dispatch',
      repository: REPOSITORY,
      ref,
      event: { inputs: { action, environment } },
    },
    inputs: { action, environment, release_id: '' },
    vars: {},
  };
}

describe('deploy.yml: only a push to this repository’s main deploys', () => {
  const workflow = loadWorkflow('.github/workflows/deploy.yml');
  const deployJobs = Object.keys(workflow.jobs).filter((name) => isDeployJob(workflow.jobs[name]!));

  it('has deploy jobs, each bound to a GitHub environment that holds its own deploy role', () => {
    expect(deployJobs.sort()).toEqual(['prod', 'rollback', 'staging']);
    for (const name of deployJobs) {
      const job = workflow.jobs[name]!;
      expect(job.environment).toBeDefined();
      const credentials = (job.steps ?? []).filter((s) =>
        (s.uses ?? '').startsWith('aws-actions/configure-aws-credentials'),
      );
      expect(credentials).toHaveLength(1);
      expect(credentials[0]!.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    }
  });

  it('is never triggered by pull_request or pull_request_target', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['workflow_dispatch', 'workflow_run']);
  });

  it('deploys staging then prod after a successful CI push to main of this repository', () => {
    const reached = reachableJobs(workflow, workflowRunContext('push', REPOSITORY, 'main', 'success'));
    expect([...reached].sort()).toEqual(['prod', 'staging']);
  });

  const hostile: [string, Context][] = [];
  for (const event of ['push', 'pull_request', 'pull_request_target', 'workflow_dispatch', 'schedule', 'merge_group']) {
    for (const headRepository of [REPOSITORY, 'stranger/gacha-bot']) {
      for (const headBranch of ['main', 'feature']) {
        for (const conclusion of ['success', 'failure']) {
          const legit =
            event === 'push' && headRepository === REPOSITORY && headBranch === 'main' && conclusion === 'success';
          if (!legit) {
            hostile.push([
              `CI ${event} from ${headRepository}@${headBranch} (${conclusion})`,
              workflowRunContext(event, headRepository, headBranch, conclusion),
            ]);
          }
        }
      }
    }
  }
  for (const action of ['deploy', 'rollback']) {
    for (const environment of ['staging', 'prod']) {
      hostile.push([
        `dispatch ${action} ${environment} from a branch`,
        dispatchContext('refs/heads/feature', action, environment),
      ]);
    }
  }

  it.each(hostile)('reaches no deploy job on %s', (_name, context) => {
    const reached = [...reachableJobs(workflow, context)].filter((job) => deployJobs.includes(job));
    expect(reached).toEqual([]);
  });

  it('lets a maintainer deploy or roll back from main by hand', () => {
    expect([...reachableJobs(workflow, dispatchContext('refs/heads/main', 'deploy', 'staging'))].sort()).toEqual([
      'prod',
      'staging',
    ]);
    expect([...reachableJobs(workflow, dispatchContext('refs/heads/main', 'rollback', 'prod'))]).toEqual(['rollback']);
  });

  it('deploys each environment with the guarded deploy command and smoke-checks the intended release', () => {
    const runs = (job: string) => (workflow.jobs[job]!.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(runs('staging')).toContain('npm run deploy -- --env staging');
    expect(runs('prod')).toContain('npm run deploy -- --env prod');
    for (const job of ['staging', 'prod']) {
      expect(runs(job)).not.toMatch(/cdk deploy/);
      expect(runs(job)).toMatch(/scripts\/ci\/smoke-check\.sh GachaBot-(staging|prod)/);
    }
  });
});

describe('the expression evaluator', () => {
  it('follows GitHub’s rules for the operators the workflows use', () => {
    const context = { github: { event_name: 'push', ref: 'refs/heads/Main' }, inputs: {} };
    const on = { success: true, failure: false };
    expect(evaluate("github.event_name == 'PUSH'", context, on)).toBe(true);
    expect(evaluate("github.ref != 'refs/heads/main'", context, on)).toBe(false);
    expect(evaluate("!(github.event_name == 'push') || inputs.x == 'y'", context, on)).toBe(false);
    expect(evaluate("success() && startsWith(github.ref, 'refs/heads/')", context, on)).toBe(true);
    expect(evaluate('github.nothing.here', context, on)).toBeNull();
    expect(() => evaluate('fromJSON(github)', context, on)).toThrow(/unsupported/);
  });
});
