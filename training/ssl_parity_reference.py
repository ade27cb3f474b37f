"""Reference features of the parity films from the UNFOLDED torch SSL trunk (eval mode).

Reads work/ssl-parity-inputs.{f32,json} (dump_ssl_parity_inputs.ts) and the
checkpoint; writes parity/ssl-trunk-reference.json (features to 7 significant
digits, with each input tensor's sha256).
Usage: python3 ssl_parity_reference.py [checkpoint] [output json]
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ssl_trunk_model import SIZE, SslTrunk  # noqa: E402
from parity_io import checked_rows, read_inputs, run_eval  # noqa: E402

WORK = os.path.join(HERE, 'work')


def main():
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, 'ssl-trunk.pt')
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'parity', 'ssl-trunk-reference.json')
    torch.set_num_threads(1)
    meta, inputs = read_inputs(WORK, 'ssl-parity-inputs', SIZE)
    feats = run_eval(SslTrunk(), checkpoint, inputs)
    images = checked_rows(meta, inputs, lambda i: {'features': [float(f'{v:.7g}') for v in feats[i]]})
    with open(out_path, 'w') as f:
        json.dump({'model': 'unfolded torch SslTrunk, eval mode', 'images': images}, f)
    print(f'wrote {len(images)} reference feature vectors to {out_path}', file=sys.stderr)


if __name__ == '__main__':
    main()
