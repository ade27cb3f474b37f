"""The reference chest X-ray CNN and the dumped dataset it trains on.

Layer names match the exported tfjs layers (conv1..conv7, pool1..pool3, gap,
dropout, logits) so the exporter and the model card can name them.
"""
import json
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, 'work')
SIZE = 128
LABELS = ['NORMAL', 'PNEUMONIA']

# (name, out channels) per conv; a pool follows the names in POOL_AFTER.
CONVS = [('conv1', 16), ('conv2', 32), ('conv3', 32), ('conv4', 64), ('conv5', 64), ('conv6', 128), ('conv7', 128)]
POOL_AFTER = {'conv1': 'pool1', 'conv3': 'pool2', 'conv5': 'pool3'}
DROPOUT = 0.3


def data_dir():
    """RADLENS_DATA, else ../shared/data beside the project root (same rule as src/config.ts)."""
    root = os.path.dirname(HERE)
    return os.environ.get('RADLENS_DATA') or os.path.normpath(os.path.join(root, '..', 'shared', 'data'))


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


class CxrNet(nn.Module):
    def __init__(self, convs=CONVS, dropout=DROPOUT):
        super().__init__()
        self.convs = list(convs)
        layers = {}
        cin = 1
        for name, cout in self.convs:
            layers[name] = ConvBlock(cin, cout)
            cin = cout
        self.blocks = nn.ModuleDict(layers)
        self.dropout = nn.Dropout(dropout)
        self.logits = nn.Linear(cin, len(LABELS))
        self.feature_dim = cin

    def features(self, x):
        """Penultimate (gap) features of z-scored NCHW input."""
        for name, _ in self.convs:
            x = self.blocks[name](x)
            if name in POOL_AFTER:
                x = nn.functional.max_pool2d(x, 2)
        return x.mean(dim=(2, 3))

    def forward(self, x):
        return self.logits(self.dropout(self.features(x)))


def zscore_image(x):
    """Per-image (x-mean)/std with population std; std<=1e-6 gives zeros (preprocess.ts 'zscore-image')."""
    flat = x.reshape(x.shape[0], -1)
    mean = flat.mean(dim=1, keepdim=True)
    std = flat.std(dim=1, unbiased=False, keepdim=True)
    inv = torch.where(std > 1e-6, 1.0 / std.clamp_min(1e-12), torch.zeros_like(std))
    return ((flat - mean) * inv).reshape(x.shape)


def load_dump():
    """images (N,1,128,128) float32 in [0,1] and the manifest items."""
    with open(os.path.join(WORK, 'manifest.json')) as f:
        manifest = json.load(f)
    images = np.fromfile(os.path.join(WORK, 'images.f32'), dtype='<f4').reshape(-1, 1, SIZE, SIZE)
    assert len(images) == len(manifest['items'])
    return images, manifest


def load_negatives():
    with open(os.path.join(WORK, 'ood.json')) as f:
        meta = json.load(f)
    images = np.fromfile(os.path.join(WORK, 'ood.f32'), dtype='<f4').reshape(-1, 1, SIZE, SIZE)
    return images, meta['items']
