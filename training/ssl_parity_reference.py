"""Reference features of the parity films from the UNFOLDED torch SSL trunk (eval mode).

Reads work/ssl-parity-inputs.{f32,json} (dump_ssl_parity_inputs.ts) and the
checkpoint; writes parity/ssl-trunk-reference.json (features to 7 significant
digits, with each input tensor's sha256).
Usage: python3 ssl_parity_reference.py [checkpoint] [output json]
"""
import hashlib
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ssl_trunk_model import SIZE, SslTrunk  # noqa: E402

WORK = os.path.join(HERE, 'work')


def main():
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, 'ssl-trunk.pt')
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'parity', 'ssl-trunk-reference.json')
    torch.set_num_threads(1)
    with open(os.path.join(WORK, 'ssl-parity-inputs.json')) as f:
        meta = json.load(f)
    inputs = np.fromfile(os.path.join(WORK, 'ssl-parity-inputs.f32'), dtype='<f4').reshape(-1, SIZE, SIZE)
    model = SslTrunk()
    model.load_state_dict(torch.load(checkpoint))
    model.eval()
    with torch.no_grad():
        feats = model(torch.from_numpy(inputs.copy()).unsqueeze(1)).double().numpy()
    images = []
    for i, image in enumerate(meta['images']):
        sha = hashlib.sha256(inputs[i].astype('<f4').tobytes()).hexdigest()
        assert sha == image['sha256'], f'{image["file"]}: input hash differs between TS and Python'
        images.append({'file': image['file'], 'label': image['label'], 'inputSha256': sha,
                       'features': [float(f'{v:.7g}') for v in feats[i]]})
    with open(out_path, 'w') as f:
        json.dump({'model': 'unfolded torch SslTrunk, eval mode', 'images': images}, f)
    print(f'wrote {len(images)} reference feature vectors to {out_path}', file=sys.stderr)


if __name__ == '__main__':
    main()
