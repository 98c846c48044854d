/**
 * `npm run secrets:put -- --env <env> --name <secret> [--generate]`
 *
 * Writes one secret of an environment to SSM Parameter Store as a SecureString. The value is read
 * from stdin (`… < file`, or a pipe) or typed at a hidden prompt; it is never accepted on the
 * command line and never printed. Uses the usual AWS credential chain (profile, SSO, env).
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { UsageError, generateSecret, parseSecretArgs, putSecret } from './lib/secrets';

async function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          reject(new UsageError('cancelled'));
          return;
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const args = parseSecretArgs(process.argv.slice(2));
  const value = args.generate
    ? generateSecret(args.name)
    : process.stdin.isTTY
      ? await readHidden(`${args.name} for ${args.environment} (input hidden): `)
      : await readStdin();
  const { parameter, version } = await putSecret(new SSMClient({}), args.environment, args.name, value);
  process.stdout.write(`secrets:put: ${parameter} written as SecureString (version ${version})\n`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof UsageError
      ? error.message
      : `failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`;
  process.stderr.write(`secrets:put: ${message}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
