"""On-batch acquisition augmentation for chest films: no flips (the heart is on the left).

The external Kermany test films differ from the train folder in exposure,
processing curve, sharpness, noise and JPEG history more than in anatomy, so
`augment_acquisition` varies exactly those; `augment` is the geometric part
(kept with its old defaults for the old light recipe).
"""
import io
import math

import numpy as np
import torch
from PIL import Image
from torch.nn import functional as F


def _uniform(b, generator, lo, hi):
    return lo + (hi - lo) * torch.rand(b, generator=generator)


def geometric(x, generator, rotate_deg=10.0, scale=(0.9, 1.1), shift=0.06, aspect=0.0):
    """Rotation, zoom (scale > 1 crops in), aspect stretch and shift; border padding."""
    b = x.shape[0]
    angle = _uniform(b, generator, -rotate_deg, rotate_deg) * math.pi / 180
    s = _uniform(b, generator, *scale)
    a = torch.exp(_uniform(b, generator, -aspect, aspect)) if aspect else torch.ones(b)
    # affine_grid maps output to input coordinates in [-1,1], so a zoom by s divides by s
    # and a shift of `shift` of the width is 2*shift in those units.
    tx, ty = _uniform(b, generator, -2 * shift, 2 * shift), _uniform(b, generator, -2 * shift, 2 * shift)
    sx, sy = 1 / (s * a), a / s
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos * sx, -sin * sy, tx], 1), torch.stack([sin * sx, cos * sy, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)


def augment(x, generator, rotate_deg=10.0, scale=(0.9, 1.1), shift=0.06, brightness=0.1, contrast=(0.85, 1.15)):
    """The first (light) recipe. x: (B,1,H,W) display values in [0,1]; returns the same shape, clamped to [0,1]."""
    b = x.shape[0]
    out = geometric(x, generator, rotate_deg, scale, shift)
    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    c = _uniform(b, generator, *contrast).view(b, 1, 1, 1)
    d = _uniform(b, generator, -brightness, brightness).view(b, 1, 1, 1)
    return ((out - mean) * c + mean + d).clamp(0, 1)


def _gaussian_blur(x, sigma, radius=3):
    """Separable Gaussian blur with one sigma for the whole batch (replicate borders).
    Shifted sums: on 1-channel images they run ~10x faster than conv2d on CPU."""
    t = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-0.5 * (t / sigma) ** 2)
    k = (k / k.sum()).tolist()
    h, w = x.shape[2], x.shape[3]
    p = F.pad(x, (radius, radius, 0, 0), mode='replicate')
    y = sum(k[i] * p[:, :, :, i:i + w] for i in range(2 * radius + 1))
    p = F.pad(y, (0, 0, radius, radius), mode='replicate')
    return sum(k[i] * p[:, :, i:i + h, :] for i in range(2 * radius + 1))


def _jpeg(img, quality):
    """One grey image in [0,1] through a JPEG encode/decode at `quality` (PIL, libjpeg)."""
    u8 = (img.clamp(0, 1).numpy() * 255 + 0.5).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(u8).save(buf, format='JPEG', quality=int(quality))
    buf.seek(0)
    return torch.from_numpy(np.asarray(Image.open(buf), dtype=np.float32) / 255.0)


def augment_acquisition(x, generator, p_blur=0.35, p_sharpen=0.25, p_noise=0.4, p_jpeg=0.3, p_window=0.3):
    """Geometry (±10°, zoom 0.9–1.25, aspect ±10 %, shift ±8 %) then the acquisition chain:
    window clip, gamma curve, linear contrast/brightness, blur or unsharp mask,
    Gaussian noise, JPEG re-compression. x: (B,1,H,W) in [0,1]; output clamped to [0,1]."""
    b = x.shape[0]

    def coin(p):
        return (torch.rand(b, generator=generator) < p).view(b, 1, 1, 1).float()

    def per(lo, hi):
        return _uniform(b, generator, lo, hi).view(b, 1, 1, 1)

    out = geometric(x, generator, rotate_deg=10.0, scale=(0.9, 1.25), shift=0.08, aspect=0.1)
    # A different display window: clip a little off either end and re-stretch.
    lo, hi = per(0.0, 0.12), per(0.88, 1.0)
    win = coin(p_window)
    out = win * ((out - lo) / (hi - lo)).clamp(0, 1) + (1 - win) * out
    # Processing curve: gamma 0.6–1.6 (log-uniform), then contrast/brightness.
    gamma = torch.exp(per(math.log(0.6), math.log(1.6)))
    out = out.clamp(1e-6, 1) ** gamma
    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    out = (out - mean) * per(0.8, 1.2) + mean + per(-0.08, 0.08)
    # Sharpness: blur or unsharp mask (amount 0.3–1.2), not both. A per-sample mix of
    # two fixed Gaussians (sigma 0.6 and 1.3 px) is 10x cheaper than per-sample kernels.
    soft, softer = _gaussian_blur(out, 0.6), _gaussian_blur(out, 1.3)
    mix = per(0.0, 1.0)
    blurred = (1 - mix) * soft + mix * softer
    do_blur = coin(p_blur)
    do_sharp = coin(p_sharpen) * (1 - do_blur)
    amount = per(0.3, 1.2)
    out = do_blur * blurred + do_sharp * (out + amount * (out - soft)) + (1 - do_blur - do_sharp) * out
    noise = torch.randn(out.shape, generator=generator) * per(0.005, 0.03)
    out = (out + coin(p_noise) * noise).clamp(0, 1)
    do_jpeg = torch.rand(b, generator=generator) < p_jpeg
    quality = _uniform(b, generator, 30, 90)
    for i in torch.nonzero(do_jpeg).flatten().tolist():
        out[i, 0] = _jpeg(out[i, 0], quality[i].item())
    return out
