"""Fits the refusal gate of the chest X-ray model and writes it into the card's
`gate` section (src/ml/gate/types.ts GateSpec). npm run gate:fit

The gate is decoupled from the classifier: its features come from a fixed,
untrained trunk of the texture-trunk family (src/ml/gate/recipe.ts, written
by make_gate_trunk.ts with the page's own builder) run at the gate's own input size, so retraining the classifier
(npm run train:reference) neither refits nor changes it; write_card.py copies
the section over unchanged.

Method: log of the trunk statistics, standardized; Mahalanobis distance
in the top GATE_DIM principal directions plus the residual outside them over
its mean variance; threshold = the GATE_QUANTILE quantile of the distances of
the in-distribution validation films. Negatives (covid-ct slices, synthetic
images) are only measured, never fitted on.
Usage: python3 fit_gate.py [model dir, default public/models/cxr-pneumonia]
"""
import datetime
import hashlib
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cxr_model import SIZE, WORK, load_dump, load_negatives, zscore_image  # noqa: E402
from gate_trunk import load_trunk, trunk_features  # noqa: E402

GATE_DIM = 64
GATE_QUANTILE = 0.98
TRAIN_SAMPLE = 1500
TRAIN_SEED = 5
EPS = 1e-6
SIG = 6
GATE_INPUT = {
    'size': [SIZE, SIZE], 'channels': 1, 'fit': 'stretch', 'interpolation': 'area',
    'window': {'kind': 'display'}, 'normalization': {'kind': 'zscore-image'},
}


def features_of(kernels, images, batch=64):
    out = []
    for start in range(0, len(images), batch):
        out.append(trunk_features(kernels, zscore_image(torch.from_numpy(images[start:start + batch]))))
    return torch.cat(out).numpy()


def cached_features(kernels, trunk_sha, images, manifest, neg):
    """Features of the train sample, val, test and negatives; cached in work/ keyed by trunk and data."""
    split = np.array([it['split'] for it in manifest['items']])
    rng = np.random.default_rng(TRAIN_SEED)
    train = np.sort(rng.choice(np.flatnonzero(split == 'train'), TRAIN_SAMPLE, replace=False))
    val, test = np.flatnonzero(split == 'val'), np.flatnonzero(split == 'test')
    key = hashlib.sha256(json.dumps([trunk_sha, [it['sha256'] for it in manifest['items']], train.tolist(), len(neg)]).encode()).hexdigest()
    path = os.path.join(WORK, 'gate-features.npz')
    if os.path.exists(path):
        z = np.load(path)
        if str(z['key']) == key:
            return z['train'], z['val'], z['test'], z['neg']
    f = [features_of(kernels, images[i]) for i in (train, val, test)] + [features_of(kernels, neg)]
    np.savez(path, key=key, train=f[0], val=f[1], test=f[2], neg=f[3])
    return tuple(f)


def round_sig(values):
    return [float(f'{v:.{SIG}g}') for v in np.asarray(values, dtype=np.float64).ravel()]


def distances(spec, feats):
    z = (np.log(feats + EPS) - np.array(spec['center'])) / np.array(spec['scale'])
    axes = np.array(spec['axes']).reshape(len(spec['variances']), -1)
    p = z @ axes.T
    residual = np.maximum(0, (z * z).sum(1) - (p * p).sum(1))
    return np.sqrt((p * p / np.array(spec['variances'])).sum(1) + residual / spec['residualVariance'])


def main():
    torch.set_num_threads(int(os.environ.get('CXR_THREADS', '2')))
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(HERE), 'public', 'models', 'cxr-pneumonia')
    trunk_card, kernels = load_trunk()
    images, manifest = load_dump()
    neg, neg_items = load_negatives()
    f_train, f_val, f_test, f_neg = cached_features(kernels, trunk_card['weights'][0]['sha256'], images, manifest, neg)

    logs = np.log(f_train + EPS)
    center, scale = logs.mean(0), logs.std(0) + 1e-9
    z = (logs - center) / scale
    _, s, vt = np.linalg.svd(z, full_matrices=False)
    variances = s ** 2 / len(z)
    spec = {
        'center': round_sig(center), 'scale': round_sig(scale),
        'axes': round_sig(vt[:GATE_DIM]), 'variances': round_sig(variances[:GATE_DIM]),
        'residualVariance': float(f'{variances[GATE_DIM:].sum() / (z.shape[1] - GATE_DIM):.{SIG}g}'),
    }
    d_val = distances(spec, f_val)
    # The smallest threshold that refuses at most (1 - GATE_QUANTILE) of the validation films
    # (the next float up from that film's distance, so a rounding never refuses it).
    allowed = int(np.floor((1 - GATE_QUANTILE) * len(d_val) + 1e-9))
    edge = np.sort(d_val)[len(d_val) - allowed - 1]
    threshold = max(float(f'{edge:.{SIG}g}'), 1e-9)  # distances are positive; a zero would have no last digit to step
    while (d_val > threshold).sum() > allowed:
        # One unit in the last kept digit: a relative step can round back to the same value and never end.
        threshold = float(f'{threshold + 10 ** (np.floor(np.log10(threshold)) - SIG + 1):.{SIG}g}')

    def rate(d, name):
        refused = int((d > threshold).sum())
        return name, {'n': int(len(d)), 'refused': refused, 'rate': round(refused / len(d), 4)}

    d_neg = distances(spec, f_neg)
    kinds = np.array([it['kind'] + ('-val' if '/val/' in it['file'] else '-train' if '/train/' in it['file'] else '')
                      for it in neg_items])
    refusal = dict([rate(d_val, 'kermany-val'), rate(distances(spec, f_test), 'kermany-test'),
                    rate(distances(spec, f_train), 'kermany-train-sample')]
                   + [rate(d_neg[kinds == k], k) for k in sorted(set(kinds))])
    gate = {
        'id': 'cxr-frontal-gate',
        'version': '2.0.0',
        'question': 'Is this a frontal pediatric chest radiograph of the kind the Kermany (Guangzhou) training films are?',
        'trunk': {'id': trunk_card['id'], 'version': trunk_card['version'], 'channels': [int(k.shape[0]) for k in kernels],
                  'seed': trunk_card['construction']['seed'], 'weightsSha256': trunk_card['weights'][0]['sha256']},
        'input': GATE_INPUT,
        'method': 'pca-mahalanobis',
        'transform': 'log',
        **spec,
        'threshold': threshold,
        'thresholdRule': (f'smallest threshold refusing at most {(1 - GATE_QUANTILE) * 100:g}% of the {len(d_val)} validation films '
                          f'(patient-disjoint from the fit; {GATE_QUANTILE * 100:g}th percentile); distance = sqrt(Mahalanobis² in the top {GATE_DIM} principal directions '
                          f'+ residual² / mean residual variance) on standardized log statistics of the {trunk_card["id"]} ({"/".join(str(int(k.shape[0])) for k in kernels)} channels) at {SIZE} px'),
        'fittedOn': (f'{TRAIN_SAMPLE} seeded random train-split films (seed {TRAIN_SEED}) of the Kermany train folder; '
                     'negatives (covid-ct slices, synthetic noise/photo/constant images) were measured, never fitted'),
        'refusal': refusal,
        'date': datetime.date.today().isoformat(),
    }
    card_path = os.path.join(model_dir, 'card.json')
    with open(card_path) as f:
        card = json.load(f)
    card['gate'] = gate
    with open(card_path, 'w') as f:
        json.dump(card, f, indent=1)
    print(json.dumps({'threshold': threshold, 'refusal': refusal}, indent=1), file=sys.stderr)


if __name__ == '__main__':
    main()
