"""SimCLR-style contrastive pretraining of the RadLens trunk, without labels.

Input: work/ssl-images.u8 + work/ssl-manifest.json (dump_ssl_dataset.ts): 224×224
display images from licence-clean sources only (Kermany carved train split,
TotalSegmentator CT, DICOM samples). Two augmented crops of each image must
map close together and away from the other images in the batch (NT-Xent).

The augmentations are the nuisances a clinic's small dataset mixes with its
classes: crop and zoom, rotation, resolution loss (down- and re-sampling),
blur, noise, contrast and gamma, and burnt-in marks (bright/dark boxes, like
paper-figure arrows and letters). Features that ignore them cannot tell a
sharp PACS export from a small journal figure, which is what the untrained
trunk's heads partly learned on COVID-CT.

Env: SSL_STEPS (default 900, about 30 min at 2 s per step with 2 threads on the
2-core CI machine), SSL_BUDGET_S (wall-clock cap, default 3300 so the whole
command stays under an hour on a slower machine; the learning-rate schedule
follows whichever of steps or time runs out first, so only a machine that hits
the cap trains a different trunk),
SSL_BATCH (default 64 images → 128 crops), SSL_CROP (default 112 px crops taken
from the 224 px image, so pixel scale stays near the page's), SSL_THREADS (2).
Writes work/ssl-trunk.pt and work/ssl-train-log.json.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ssl_trunk_model import SIZE, SslTrunk  # noqa: E402

WORK = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'work')
SEED = 20260101
CT_FRACTION = 0.35  # CT slices are 8 % of the images but the target modality of the CT checks
TEMPERATURE = 0.2


def zscore(x):
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    std = x.std(dim=(1, 2, 3), keepdim=True, unbiased=False)
    return torch.where(std > 1e-6, (x - mean) / std.clamp_min(1e-6), torch.zeros_like(x))


def uniform(b, lo, hi, g):
    return lo + (hi - lo) * torch.rand(b, generator=g)


def crop_view(x, crop, g):
    """Random rotated, zoomed, shifted crop (crop×crop) of x (B,1,224,224), flipped left-right half the time."""
    b = x.shape[0]
    side = uniform(b, 0.45, 1.0, g)            # fraction of the image side the crop covers
    aspect = torch.exp(uniform(b, -0.25, 0.25, g))
    sx, sy = side * aspect.sqrt(), side / aspect.sqrt()
    angle = uniform(b, -15, 15, g) * math.pi / 180
    tx = (1 - sx.clamp(max=1)) * uniform(b, -1, 1, g)
    ty = (1 - sy.clamp(max=1)) * uniform(b, -1, 1, g)
    flip = torch.where(torch.rand(b, generator=g) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos * sx * flip, -sin * sy, tx], 1), torch.stack([sin * sx * flip, cos * sy, ty], 1)], 1)
    grid = F.affine_grid(theta, [b, 1, crop, crop], align_corners=False)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)


def degrade(x, g):
    """Resolution loss, blur, contrast/gamma/brightness, noise and burnt-in marks, each per image."""
    b, _, h, w = x.shape
    out = []
    for i in range(b):
        v = x[i:i + 1]
        r = torch.rand(6, generator=g)
        if r[0] < 0.6:   # resample down to 30–100 % of the side and back
            f = 0.3 + 0.7 * float(torch.rand(1, generator=g))
            small = F.interpolate(v, size=(max(8, int(h * f)), max(8, int(w * f))), mode='area')
            v = F.interpolate(small, size=(h, w), mode='bilinear', align_corners=False)
        if r[1] < 0.3:   # blur
            s = 0.5 + 1.5 * float(torch.rand(1, generator=g))
            k = torch.arange(-3, 4, dtype=torch.float32)
            k = torch.exp(-k * k / (2 * s * s)); k = k / k.sum()
            v = F.conv2d(F.pad(v, (3, 3, 0, 0), mode='replicate'), k.view(1, 1, 1, 7))
            v = F.conv2d(F.pad(v, (0, 0, 3, 3), mode='replicate'), k.view(1, 1, 7, 1))
        if r[2] < 0.8:   # contrast, brightness, gamma
            m = v.mean()
            c = 0.6 + 0.8 * float(torch.rand(1, generator=g))
            d = 0.2 * (float(torch.rand(1, generator=g)) - 0.5)
            v = ((v - m) * c + m + d).clamp(0, 1)
            gamma = math.exp(0.6 * (float(torch.rand(1, generator=g)) - 0.5))
            v = v.clamp_min(1e-4) ** gamma
        if r[3] < 0.3:   # burnt-in marks: a few thin bright or dark boxes
            v = v.clone()
            for _ in range(1 + int(3 * float(torch.rand(1, generator=g)))):
                bw = 2 + int(float(torch.rand(1, generator=g)) * w * 0.15)
                bh = 2 + int(float(torch.rand(1, generator=g)) * h * 0.05)
                if float(torch.rand(1, generator=g)) < 0.5: bw, bh = bh, bw
                x0 = int(float(torch.rand(1, generator=g)) * (w - bw)); y0 = int(float(torch.rand(1, generator=g)) * (h - bh))
                v[..., y0:y0 + bh, x0:x0 + bw] = 1.0 if float(torch.rand(1, generator=g)) < 0.7 else 0.0
        if r[4] < 0.3:   # sensor / JPEG-like noise
            v = (v + 0.03 * float(torch.rand(1, generator=g)) * torch.randn(v.shape, generator=g)).clamp(0, 1)
        out.append(v)
    return torch.cat(out, 0)


def view(x, crop, g):
    return zscore(degrade(crop_view(x, crop, g), g))


def nt_xent(z, temperature=TEMPERATURE):
    z = F.normalize(z, dim=1)
    n = z.shape[0] // 2
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(-1e9)
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


class Projection(nn.Module):
    """Only used in training: the trunk's 1,104 statistics (very different scales) → 128-d embedding."""

    def __init__(self, dim):
        super().__init__()
        self.net = nn.Sequential(nn.BatchNorm1d(dim, affine=False), nn.Linear(dim, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, 128))

    def forward(self, f):
        return self.net(f)


def load_images():
    with open(os.path.join(WORK, 'ssl-manifest.json')) as f:
        manifest = json.load(f)
    raw = np.fromfile(os.path.join(WORK, 'ssl-images.u8'), dtype=np.uint8)
    n = len(manifest['items'])
    images = torch.from_numpy(raw.reshape(n, 1, SIZE, SIZE).copy())
    is_ct = torch.tensor([item['source'] != 'kermany' for item in manifest['items']])
    return manifest, images, is_ct


def main():
    steps = int(os.environ.get('SSL_STEPS', 900))
    budget = float(os.environ.get('SSL_BUDGET_S', 3300))
    batch = int(os.environ.get('SSL_BATCH', 64))
    crop = int(os.environ.get('SSL_CROP', 112))
    torch.set_num_threads(int(os.environ.get('SSL_THREADS', 2)))
    torch.manual_seed(SEED)
    g = torch.Generator().manual_seed(SEED)
    manifest, images, is_ct = load_images()
    ct_idx, cxr_idx = torch.nonzero(is_ct).flatten(), torch.nonzero(~is_ct).flatten()
    trunk = SslTrunk()
    proj = Projection(trunk.feature_dim)
    params = list(trunk.parameters()) + list(proj.parameters())
    opt = torch.optim.AdamW(params, lr=2e-3, weight_decay=1e-4)
    base_lr, warmup = 2e-3, 0.05
    log = {'seed': SEED, 'steps': steps, 'budget_s': budget, 'batch': batch, 'crop': crop, 'counts': manifest['counts'],
           'temperature': TEMPERATURE, 'ct_fraction': CT_FRACTION, 'threads': torch.get_num_threads(), 'entries': []}
    t0 = time.time()
    step = 0
    while True:
        progress = max(step / steps, (time.time() - t0) / budget)
        if progress >= 1:
            break
        lr = base_lr * (progress / warmup if progress < warmup else 0.5 * (1 + math.cos(math.pi * (progress - warmup) / (1 - warmup))))
        for group in opt.param_groups:
            group['lr'] = lr
        n_ct = int(round(batch * CT_FRACTION))
        pick = torch.cat([ct_idx[torch.randint(len(ct_idx), (n_ct,), generator=g)],
                          cxr_idx[torch.randint(len(cxr_idx), (batch - n_ct,), generator=g)]])
        x = images[pick].float() / 255
        v = torch.cat([view(x, crop, g), view(x, crop, g)], 0)
        loss = nt_xent(proj(trunk(v)))
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 10 == 0 or step == 1:
            entry = {'step': step, 'loss': round(float(loss), 4), 'lr': round(lr, 6), 'elapsed_s': round(time.time() - t0, 1)}
            log['entries'].append(entry)
            print(json.dumps(entry), flush=True)
        if step % 100 == 0:
            torch.save(trunk.state_dict(), os.path.join(WORK, 'ssl-trunk.pt'))
    log['steps_done'] = step
    log['train_s'] = round(time.time() - t0, 1)
    torch.save(trunk.state_dict(), os.path.join(WORK, 'ssl-trunk.pt'))
    with open(os.path.join(WORK, 'ssl-train-log.json'), 'w') as f:
        json.dump(log, f, indent=1)
    print(f'done: {step} steps in {log["train_s"]} s', file=sys.stderr)


if __name__ == '__main__':
    main()
