"""The parity inputs that the TypeScript dump wrote, read back for a PyTorch reference.

Both reference scripts (classifier logits, SSL-trunk features) run the
unfolded torch model on exactly these tensors, and each tensor's sha256 must
match the dump's, so the TS tests can prove tfjs saw identical inputs.
"""
import hashlib
import json
import os

import numpy as np
import torch


def read_inputs(work, prefix, size):
    """meta (the dump's JSON) and the N×size×size float32 inputs of work/<prefix>.{json,f32}."""
    with open(os.path.join(work, f'{prefix}.json')) as f:
        meta = json.load(f)
    inputs = np.fromfile(os.path.join(work, f'{prefix}.f32'), dtype='<f4').reshape(-1, size, size)
    return meta, inputs


def run_eval(model, checkpoint, inputs):
    """The model's outputs on the inputs (already z-scored, one channel: NCHW is a reshape), float64."""
    model.load_state_dict(torch.load(checkpoint))
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(inputs.copy()).unsqueeze(1)).double().numpy()


def checked_rows(meta, inputs, values):
    """One row per image: file, label, the input's sha256 (asserted equal to the dump's) and its values."""
    rows = []
    for i, image in enumerate(meta['images']):
        sha = hashlib.sha256(inputs[i].astype('<f4').tobytes()).hexdigest()
        assert sha == image['sha256'], f'{image["file"]}: input hash differs between TS and Python'
        rows.append({'file': image['file'], 'label': image['label'], 'inputSha256': sha, **values(i)})
    return rows
