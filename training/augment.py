"""Light on-batch augmentation for chest films: no flips (the heart is on the left)."""
import math

import torch
from torch.nn import functional as F


def augment(x, generator, rotate_deg=10.0, scale=(0.9, 1.1), shift=0.06, brightness=0.1, contrast=(0.85, 1.15)):
    """x: (B,1,H,W) display values in [0,1]; returns the same shape, clamped to [0,1]."""
    b = x.shape[0]

    def uniform(lo, hi):
        return lo + (hi - lo) * torch.rand(b, generator=generator)

    angle = uniform(-rotate_deg, rotate_deg) * math.pi / 180
    s = uniform(*scale)
    # affine_grid maps output to input coordinates in [-1,1], so a zoom by s divides by s
    # and a shift of `shift` of the width is 2*shift in those units.
    tx, ty = uniform(-2 * shift, 2 * shift), uniform(-2 * shift, 2 * shift)
    cos, sin = torch.cos(angle) / s, torch.sin(angle) / s
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)
    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    c = uniform(*contrast).view(b, 1, 1, 1)
    d = uniform(-brightness, brightness).view(b, 1, 1, 1)
    return ((out - mean) * c + mean + d).clamp(0, 1)
