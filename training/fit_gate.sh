#!/usr/bin/env bash
# Fits the refusal gate into public/models/cxr-pneumonia/card.json (section `gate`) and
# writes its parity reference. npm run gate:fit. Needs the dump (npx tsx training/dump_dataset.ts).
# npm run train:reference does NOT run this: the gate stays as it is when the classifier is retrained.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${RADLENS_PYTHON:-/usr/bin/python3}
OUT=${CXR_MODEL_OUT:-public/models/cxr-pneumonia}
[ -f training/work/images.f32 ] || npx tsx training/dump_dataset.ts
npx tsx training/make_gate_trunk.ts training/work/gate-trunk
"$PY" training/fit_gate.py "$OUT"
npx tsx training/dump_parity_inputs.ts
"$PY" training/gate_reference.py "$OUT" training/parity/gate-reference.json
