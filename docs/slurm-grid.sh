#!/bin/bash
#SBATCH --job-name=flatlab-grid
#SBATCH --array=1-64
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=logs/%x-%a.out
# One shard per array task, indices 1..N (N = the array's size, here 64); each task writes its
# own cache folder, so no two tasks write one file. Submit from the folder holding spec.json
# (and a logs/ folder): sbatch slurm-grid.sh; a smaller array: sbatch --array=1-8 slurm-grid.sh.
set -euo pipefail
cd "$SLURM_SUBMIT_DIR"
npx flatlab grid spec.json --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
  --cache "cache/shard-${SLURM_ARRAY_TASK_ID}" --workers "${SLURM_CPUS_PER_TASK}"
