#!/usr/bin/env bash
# A corpus translated by 8 workers, as a Slurm job array:
#
#   sbatch deploy/slurm-array.sh /shared/corpus /shared/output
#
# Task I runs `bitext translate --shard I/8` (SLURM_ARRAY_TASK_ID is
# 0-based here, as --shard is): the inputs whose path hashes to I. The
# corpus and output folders must be on a file system every node sees; the
# outputs land where an unsharded run would put them. All tasks share one
# translation memory in PostgreSQL: set BITEXT_CACHE to its URL (and
# PGPASSWORD, unless the URL has the password) and OPENAI_API_KEY in the
# environment you submit from; sbatch passes them on. A task that failed is rerun with
#   sbatch --array=I deploy/slurm-array.sh ...
# and resumes its shard: finished files are skipped, finished segments are
# in the memory.
#SBATCH --job-name=bitext
#SBATCH --array=0-7
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=04:00:00
#SBATCH --output=bitext-%A_%a.log
set -euo pipefail

corpus=${1:?usage: sbatch slurm-array.sh CORPUS_DIR OUTPUT_DIR}
output=${2:?usage: sbatch slurm-array.sh CORPUS_DIR OUTPUT_DIR}
: "${BITEXT_CACHE:?set BITEXT_CACHE to the shared memory, e.g. postgres://bitext@db.example:5432/bitext}"
: "${OPENAI_API_KEY:?set OPENAI_API_KEY}"
shards=${SLURM_ARRAY_TASK_COUNT:-8}

exec bitext translate "$corpus" --output "$output" --backend openai --concurrency 4 --skip-existing --quiet --shard "$SLURM_ARRAY_TASK_ID/$shards"
