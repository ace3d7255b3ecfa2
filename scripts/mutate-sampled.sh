#!/usr/bin/env bash
# Sampled mutation runs, one per group of folders (the gates need the slow timeline tests, the others do not); each
# run's reports go to reports/mutation/<group>/ (mutants.jsonl, mutation.json). Usage:
#   bash scripts/mutate-sampled.sh <mutants per folder> [seed]
# then: node scripts/mutation-summary.mjs
set -u
cd "$(dirname "$0")/.."
per=${1:-130}
seed=${2:-14}
for group in planner,output,fleet gates; do
  MUTATE_SAMPLE=$per MUTATE_SEED=$seed MUTATE_SCOPE=$group MUTATE_REPORTS="reports/mutation/${group//,/-}" npx stryker run
done
