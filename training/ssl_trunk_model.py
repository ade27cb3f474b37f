"""The self-supervised CT/X-ray trunk: the texture trunk's shape, trained.

Five 3×3 conv stages (16, 32, 64, 128, 128 channels), BatchNorm + ReLU, 2×2
average pooling between stages. Features are the mean, maximum and mean square
of every channel of every stage (1,104 values), exactly the texture trunk's
read-out, so page speed and the head code are unchanged. BatchNorm is folded
into each conv's kernel and bias on export (training/export_tfjs.py).
"""
import torch
from torch import nn
from torch.nn import functional as F

CHANNELS = (16, 32, 64, 128, 128)
SIZE = 224


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class SslTrunk(nn.Module):
    def __init__(self, channels=CHANNELS):
        super().__init__()
        self.channels = channels
        self.convs = [(f'conv{i + 1}', c) for i, c in enumerate(channels)]
        cins = (1,) + tuple(channels[:-1])
        self.blocks = nn.ModuleDict({name: Block(cin, c) for (name, c), cin in zip(self.convs, cins)})

    def features(self, x):
        """x: (B,1,H,W) z-scored; returns (B, 3·Σchannels) in the tfjs order (mean, max, meansq per stage)."""
        stats = []
        for i, (name, _) in enumerate(self.convs):
            x = self.blocks[name](x)
            stats += [x.mean(dim=(2, 3)), x.amax(dim=(2, 3)), (x * x).mean(dim=(2, 3))]
            if i < len(self.convs) - 1:
                x = F.avg_pool2d(x, 2)
        return torch.cat(stats, 1)

    def forward(self, x):
        return self.features(x)

    @property
    def feature_dim(self):
        return 3 * sum(self.channels)
