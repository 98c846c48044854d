#!/usr/bin/env bash
# run-ssm-document.sh <stack> <document-output-key> [Name=value …]
#
# Runs one of the bot stack's SSM documents (HealthDocument, RollbackDocument) on its instance,
# waits for it and prints its output; exits non-zero unless the command succeeded. The instance
# id and the document name come from the stack's outputs. Used by the deploy workflow.
set -euo pipefail
stack=$1
document_key=$2
shift 2

output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
instance=$(output InstanceId)
document=$(output "$document_key")
if [ -z "$instance" ] || [ "$instance" = None ] || [ -z "$document" ] || [ "$document" = None ]; then
  echo "run-ssm-document: $stack has no InstanceId/$document_key output" >&2
  exit 1
fi

params='{}'
if [ $# -gt 0 ]; then
  params=$(node -e '
    const out = {};
    for (const pair of process.argv.slice(1)) {
      const i = pair.indexOf("=");
      out[pair.slice(0, i)] = [pair.slice(i + 1)];
    }
    process.stdout.write(JSON.stringify(out));
  ' "$@")
fi

command_id=$(aws ssm send-command --instance-ids "$instance" --document-name "$document" \
  --parameters "$params" --comment "gacha-bot ${GITHUB_RUN_ID:-manual}" \
  --query Command.CommandId --output text)
echo "run-ssm-document: $document on $instance (command $command_id)"

status=Pending
for _ in $(seq 1 120); do
  sleep "${SSM_POLL_SECONDS:-5}"
  status=$(aws ssm get-command-invocation --command-id "$command_id" --instance-id "$instance" \
    --query Status --output text 2>/dev/null || echo Pending)
  case "$status" in Pending | InProgress | Delayed) continue ;; *) break ;; esac
done
aws ssm get-command-invocation --command-id "$command_id" --instance-id "$instance" \
  --query '[StandardOutputContent, StandardErrorContent]' --output text || true
if [ "$status" != Success ]; then
  echo "run-ssm-document: $document ended with status $status" >&2
  exit 1
fi
