"""Reference logits for the parity images, from torch.

Reads work/parity-inputs.f32 (written by dump_parity_inputs.ts) and a
checkpoint; writes parity/reference-outputs.json with each input tensor's
sha256, so the TS test can prove it fed identical inputs to tfjs. The logits
come from the weights in the precision the bundle stores (float16 or
float32, shipped_weights.py), computed here from the checkpoint, not read
from the shard; before that, the folded float32 weights must reproduce the
UNFOLDED model (eval mode) to FOLD_TOLERANCE, which proves the fold itself.
Usage: python3 parity_reference.py [checkpoint] [output json]
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cxr_model import SIZE, WORK, CxrNet  # noqa: E402
from parity_io import checked_rows, read_inputs, run_eval  # noqa: E402
from shipped_weights import chosen_precision, forward, stored_arrays  # noqa: E402

FOLD_TOLERANCE = 1e-5


def main():
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, 'best.pt')
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'parity', 'reference-outputs.json')
    torch.set_num_threads(2)
    meta, inputs = read_inputs(WORK, 'parity-inputs', SIZE)
    model = CxrNet()
    unfolded = run_eval(model, checkpoint, inputs)
    x = torch.from_numpy(inputs.copy()).unsqueeze(1)
    folded = forward(model, stored_arrays(model, 'float32'), x).double().numpy()
    fold_diff = float(abs(folded - unfolded).max())
    if fold_diff > FOLD_TOLERANCE:
        sys.exit(f'folded float32 weights differ from the unfolded model by {fold_diff:.2e} (> {FOLD_TOLERANCE:g})')
    precision = chosen_precision(WORK)
    logits = forward(model, stored_arrays(model, precision), x).double().numpy()
    images = checked_rows(meta, inputs, lambda i: {'logits': logits[i].tolist()})
    with open(out_path, 'w') as f:
        json.dump({'model': f'torch CxrNet, BatchNorm folded, {precision} weights as stored (fold checked against the unfolded model: {fold_diff:.1e})',
                   'precision': precision, 'images': images}, f, indent=1)
    print(f'wrote {len(images)} reference outputs to {out_path}', file=sys.stderr)


if __name__ == '__main__':
    main()
