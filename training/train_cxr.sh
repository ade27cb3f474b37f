#!/usr/bin/env bash
# Reproduces the bundled reference model public/models/cxr-pneumonia/ from the
# shared Kermany data (RADLENS_DATA, default ../shared/data). npm run train:reference
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${RADLENS_PYTHON:-/usr/bin/python3}
OUT=public/models/cxr-pneumonia
start=$(date +%s)
step() { echo "[train:reference] $* ($(( $(date +%s) - start )) s)" >&2; }

step "dump the dataset through the serving preprocessing"
npx tsx training/dump_dataset.ts
step "train"
"$PY" training/train_cxr.py
step "calibrate, measure, OOD statistics"
"$PY" training/calibrate_cxr.py
step "export to tfjs"
"$PY" training/export_tfjs.py training/work/best.pt "$OUT"
"$PY" training/write_card.py "$OUT"
step "parity reference"
npx tsx training/dump_parity_inputs.ts
"$PY" training/parity_reference.py
npx tsx training/check_export.ts "$OUT" 2>/dev/null
step "done"
