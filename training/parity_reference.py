"""Reference logits for the parity images from the UNFOLDED torch model (eval mode).

Reads work/parity-inputs.f32 (written by dump_parity_inputs.ts) and a
checkpoint; writes parity/reference-outputs.json with each input tensor's
sha256, so the TS test can prove it fed identical inputs to tfjs.
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


def main():
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, 'best.pt')
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'parity', 'reference-outputs.json')
    torch.set_num_threads(2)
    meta, inputs = read_inputs(WORK, 'parity-inputs', SIZE)
    logits = run_eval(CxrNet(), checkpoint, inputs)
    images = checked_rows(meta, inputs, lambda i: {'logits': logits[i].tolist()})
    with open(out_path, 'w') as f:
        json.dump({'model': 'unfolded torch CxrNet, eval mode', 'images': images}, f, indent=1)
    print(f'wrote {len(images)} reference outputs to {out_path}', file=sys.stderr)


if __name__ == '__main__':
    main()
