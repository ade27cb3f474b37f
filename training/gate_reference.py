"""Reference gate distances for the parity films, from the PyTorch trunk and numpy.

Reads work/parity-inputs.f32 (dump_parity_inputs.ts: z-scored 128x128 inputs
through the serving pipeline; parity_io.py checks each input's sha256) and the card's gate; writes
parity/gate-reference.json for training/gate-parity.test.ts.
Usage: python3 gate_reference.py [model dir] [output json]
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cxr_model import WORK  # noqa: E402
from fit_gate import distances  # noqa: E402
from gate_trunk import load_trunk, trunk_features  # noqa: E402
from parity_io import checked_rows, read_inputs  # noqa: E402


def main():
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(HERE), 'public', 'models', 'cxr-pneumonia')
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'parity', 'gate-reference.json')
    torch.set_num_threads(2)
    with open(os.path.join(model_dir, 'card.json')) as f:
        gate = json.load(f)['gate']
    meta, inputs = read_inputs(WORK, 'parity-inputs', gate['input']['size'][0])
    if list(meta['size']) != gate['input']['size']:
        sys.exit(f'parity inputs are {meta["size"]}, the gate reads {gate["input"]["size"]}')
    _, kernels = load_trunk()
    feats = trunk_features(kernels, torch.from_numpy(inputs.copy()).unsqueeze(1)).numpy()
    d = distances(gate, feats)
    images = checked_rows(meta, inputs, lambda i: {'distance': float(d[i])})
    with open(out_path, 'w') as f:
        json.dump({'gate': f'{gate["id"]}@{gate["version"]}', 'threshold': gate['threshold'], 'images': images}, f, indent=1)
    print(f'wrote {len(images)} gate reference distances to {out_path}', file=sys.stderr)


if __name__ == '__main__':
    main()
