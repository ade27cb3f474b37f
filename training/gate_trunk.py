"""The refusal gate's trunk (a texture-trunk recipe, src/ml/trunk/build.ts) in PyTorch,
with the weights read from the shard that make_gate_trunk.ts wrote
(training/work/gate-trunk, or GATE_TRUNK_DIR), for fitting the refusal gate.

Same graph as build.ts: five 3x3 'same' convs without bias, ReLU, 2x2 average
pooling between stages; per stage the spatial mean, max and mean square of
every channel, concatenated stage by stage. Any square input size works (the
convolutions do not depend on it); the gate runs it at its own size.
"""
import hashlib
import json
import os

import numpy as np
import torch
from torch.nn import functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
TRUNK_DIR = os.environ.get('GATE_TRUNK_DIR', os.path.join(HERE, 'work', 'gate-trunk'))


def load_trunk(trunk_dir=TRUNK_DIR):
    """(card, [kernel tensors in OIHW]) after checking the shard's sha256 against the trunk card."""
    if not os.path.exists(os.path.join(trunk_dir, 'card.json')):
        raise SystemExit(f'{trunk_dir}: no gate trunk here; write it with: npx tsx training/make_gate_trunk.ts {trunk_dir}')
    with open(os.path.join(trunk_dir, 'card.json')) as f:
        card = json.load(f)
    with open(os.path.join(trunk_dir, 'model.json')) as f:
        manifest = json.load(f)['weightsManifest'][0]
    with open(os.path.join(trunk_dir, manifest['paths'][0]), 'rb') as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != card['weights'][0]['sha256']:
        raise SystemExit(f'{trunk_dir}: weight shard does not match its card')
    flat = np.frombuffer(data, dtype='<f4')
    kernels, offset = [], 0
    for spec in manifest['weights']:
        n = int(np.prod(spec['shape']))
        hwio = flat[offset:offset + n].reshape(spec['shape'])
        kernels.append(torch.from_numpy(np.ascontiguousarray(hwio.transpose(3, 2, 0, 1))))
        offset += n
    return card, kernels


@torch.no_grad()
def trunk_features(kernels, x):
    """x: z-scored NCHW; returns (N, 3*sum(channels)) float64 features in build.ts order."""
    stats = []
    for i, k in enumerate(kernels):
        x = torch.relu(F.conv2d(x, k, padding=1))
        stats += [x.mean(dim=(2, 3)), x.amax(dim=(2, 3)), (x * x).mean(dim=(2, 3))]
        if i < len(kernels) - 1:
            x = F.avg_pool2d(x, 2)
    return torch.cat(stats, dim=1).double()
