#!/usr/bin/env bash
# Reproduces the bundled reference model public/models/cxr-pneumonia/ from the
# shared Kermany data (RADLENS_DATA, default ../shared/data). npm run train:reference
# CXR_MODEL_OUT / CXR_PARITY_OUT redirect the outputs (smoke runs that must not
# replace the shipped bundle); CXR_EPOCHS and CXR_THREADS tune train_cxr.py.
# The refusal gate (card section `gate`) is NOT refitted here: write_card.py carries it over
# unchanged, so retraining the classifier never changes what is refused (npm run gate:fit refits it).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${RADLENS_PYTHON:-/usr/bin/python3}
OUT=${CXR_MODEL_OUT:-public/models/cxr-pneumonia}
PARITY=${CXR_PARITY_OUT:-training/parity/reference-outputs.json}
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
"$PY" training/write_card.py "$OUT" training/work/best.pt
step "parity reference"
npx tsx training/dump_parity_inputs.ts
"$PY" training/parity_reference.py training/work/best.pt "$PARITY"
npx tsx training/check_export.ts "$OUT" "$PARITY" 2>/dev/null
step "done"
