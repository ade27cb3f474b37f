#!/usr/bin/env bash
# The self-supervised radiology trunk end to end: dump licence-clean images →
# contrastive pretraining (900 steps, ≈ 30 min on 2 threads) → export to tfjs →
# card → parity reference. Run: npm run trunk:ssl
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${RADLENS_PYTHON:-/usr/bin/python3}"
OUT=public/models/radiology-ssl-trunk
npx tsx training/dump_ssl_dataset.ts
(cd training && "$PY" train_ssl_trunk.py)
(cd training && "$PY" export_tfjs.py --trunk work/ssl-trunk.pt "../$OUT")
(cd training && "$PY" write_ssl_trunk_card.py "../$OUT")
npx tsx training/dump_ssl_parity_inputs.ts
(cd training && "$PY" ssl_parity_reference.py)
echo "done: $OUT; check with: npx vitest run training/ssl-trunk.test.ts" >&2
