"""Reference logits for the parity images from the UNFOLDED torch model (eval mode).

Reads work/parity-inputs.f32 (written by dump_parity_inputs.ts) and a
checkpoint; writes parity/reference-outputs.json with each input tensor's
sha256, so the TS test can prove it fed identical inputs to tfjs.
Usage: python3 parity_reference.py [checkpoint] [output json]
"""
import hashlib
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cxr_model import SIZE, WORK, CxrNet  # noqa: E402


def main():
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, 'best.pt')
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'parity', 'reference-outputs.json')
    torch.set_num_threads(2)
    with open(os.path.join(WORK, 'parity-inputs.json')) as f:
        meta = json.load(f)
    inputs = np.fromfile(os.path.join(WORK, 'parity-inputs.f32'), dtype='<f4').reshape(-1, SIZE, SIZE)
    model = CxrNet()
    model.load_state_dict(torch.load(checkpoint))
    model.eval()
    with torch.no_grad():
        # The tensors are already z-scored HWC with one channel: NCHW is a reshape.
        logits = model(torch.from_numpy(inputs.copy()).unsqueeze(1)).double().numpy()
    images = []
    for i, image in enumerate(meta['images']):
        sha = hashlib.sha256(inputs[i].astype('<f4').tobytes()).hexdigest()
        assert sha == image['sha256'], f'{image["file"]}: input hash differs between TS and Python'
        images.append({'file': image['file'], 'label': image['label'], 'inputSha256': sha, 'logits': logits[i].tolist()})
    with open(out_path, 'w') as f:
        json.dump({'model': 'unfolded torch CxrNet, eval mode', 'images': images}, f, indent=1)
    print(f'wrote {len(images)} reference outputs to {out_path}', file=sys.stderr)


if __name__ == '__main__':
    main()
