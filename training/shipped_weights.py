"""The classifier's weights exactly as the bundle stores them, and a torch forward over them.

The exporter folds BatchNorm into each conv (in float64) and stores the
result as float16 or float32. Calibration, the card's metrics and the parity
reference must describe those stored numbers, not the float32 checkpoint, so
all three go through `stored_arrays` + `forward` here. Which precision ships is
decided by `precision_rule` on the validation split (calibrate_cxr.py writes
the decision into summary.json, export_tfjs.py reads it).
"""
import json
import os

import numpy as np
import torch
from torch.nn import functional as F

from cxr_model import POOL_AFTER

# tfjs decodes a float16 manifest entry ({"dtype": "float32", "quantization": {"dtype": "float16"}}) to float32 at load.
NUMPY_DTYPE = {'float32': '<f4', 'float16': '<f2'}
# float16 ships only if the validation AUC moves by less than this (it is reported to 4 decimals).
MAX_AUC_CHANGE = 5e-4


def fold_batchnorm(block):
    """Conv (no bias) + BN (eval) → kernel [out,in,kh,kw] and bias [out] of one conv, float64."""
    bn = block.bn
    scale = bn.weight.detach().double() / torch.sqrt(bn.running_var.double() + bn.eps)
    kernel = block.conv.weight.detach().double() * scale.view(-1, 1, 1, 1)
    bias = bn.bias.detach().double() - bn.running_mean.double() * scale
    return kernel, bias


def folded_arrays(model):
    """[(tfjs weight name, float64 array in tfjs layout)] in manifest order."""
    model.eval()
    out = []
    for name, _ in model.convs:
        kernel, bias = fold_batchnorm(model.blocks[name])
        out.append((f'{name}/kernel', kernel.permute(2, 3, 1, 0).numpy()))  # [out,in,kh,kw] → [kh,kw,in,out]
        out.append((f'{name}/bias', bias.numpy()))
    out.append(('logits/kernel', model.logits.weight.detach().double().numpy().T))  # [out,in] → [in,out]
    out.append(('logits/bias', model.logits.bias.detach().double().numpy()))
    return out


def stored_arrays(model, precision):
    """The folded weights rounded to the stored precision: [(name, little-endian array)]."""
    return [(name, np.ascontiguousarray(a, dtype=NUMPY_DTYPE[precision])) for name, a in folded_arrays(model)]


@torch.no_grad()
def forward(model, arrays, x):
    """Logits of z-scored NCHW float32 input through the stored weights (read as float32, as tfjs does)."""
    w = {name: torch.from_numpy(a.astype(np.float32)) for name, a in arrays}
    for name, _ in model.convs:
        x = torch.relu(F.conv2d(x, w[f'{name}/kernel'].permute(3, 2, 0, 1).contiguous(), w[f'{name}/bias'], padding=1))
        if name in POOL_AFTER:
            x = F.max_pool2d(x, 2)
    return F.linear(x.mean(dim=(2, 3)), w['logits/kernel'].T, w['logits/bias'])


def precision_rule(auc_float32, auc_float16):
    """float16 when it leaves the validation AUC unchanged (within MAX_AUC_CHANGE), else float32."""
    return 'float16' if abs(auc_float16 - auc_float32) < MAX_AUC_CHANGE else 'float32'


def chosen_precision(work):
    """The precision calibrate_cxr.py chose (work/summary.json); float32 when it has not chosen."""
    path = os.path.join(work, 'summary.json')
    if not os.path.exists(path):
        return 'float32'
    with open(path) as f:
        return json.load(f).get('weights', {}).get('precision', 'float32')
