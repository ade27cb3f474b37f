"""Calibration, operating point, metrics and OOD statistics for the trained model.

Reads work/best.pt and the dump; writes work/summary.json, which
write_card.py turns into the model card. Rules are recorded next to numbers.
"""
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cxr_model import LABELS, WORK, CxrNet, load_dump, load_negatives, zscore_image  # noqa: E402
from metrics import (  # noqa: E402
    fit_temperature, ledoit_wolf, metrics_at, nll, reliability, softmax,
    threshold_for_sensitivity, threshold_for_specificity, youden_threshold,
)

ECE_BINS = 15
# The 98th percentile: the lowest 1%-step quantile that keeps validation refusal
# at or under 3% (npm run ood-check prints the sweep); the 99th let 7.6% of
# covid-ct val slices through.
OOD_QUANTILE = 0.98
SIG_DIGITS = 6
OOD_TRAIN_SAMPLE = 1500
OOD_TRAIN_SEED = 5


@torch.no_grad()
def run(model, images, batch=128):
    """Logits and gap features of display images (N,1,H,W) in [0,1]."""
    model.eval()
    logits, feats = [], []
    for start in range(0, len(images), batch):
        x = zscore_image(torch.from_numpy(images[start:start + batch])).contiguous(memory_format=torch.channels_last)
        f = model.features(x)
        feats.append(f)
        logits.append(model.logits(f))
    return torch.cat(logits).numpy().astype(np.float64), torch.cat(feats).numpy().astype(np.float64)


def round_sig(values, digits=SIG_DIGITS):
    return [float(f'{v:.{digits}g}') for v in np.asarray(values, dtype=np.float64).ravel()]


def mahalanobis(feats, mean, precision):
    diff = feats - mean
    return np.sqrt(np.maximum(0, np.einsum('ij,jk,ik->i', diff, precision, diff)))


def main():
    torch.set_num_threads(2)
    images, manifest = load_dump()
    items = manifest['items']
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, 'best.pt')
    with open(checkpoint, 'rb') as f:
        checkpoint_sha = hashlib.sha256(f.read()).hexdigest()
    model = CxrNet()
    model.load_state_dict(torch.load(checkpoint))
    y_all = np.array([LABELS.index(it['label']) for it in items])
    split_all = np.array([it['split'] for it in items])
    # Every val/test image; a seeded subsample of train is plenty for a 128-d mean and shrunk covariance.
    rng = np.random.default_rng(OOD_TRAIN_SEED)
    train_all = np.flatnonzero(split_all == 'train')
    keep = np.sort(np.concatenate([np.flatnonzero(split_all != 'train'),
                                   rng.choice(train_all, min(OOD_TRAIN_SAMPLE, len(train_all)), replace=False)]))
    logits, feats = run(model, images[keep])
    y, split = y_all[keep], split_all[keep]
    val, test, train = split == 'val', split == 'test', split == 'train'
    pos = LABELS.index('PNEUMONIA')

    temperature = fit_temperature(logits[val], y[val])
    p_val = softmax(logits[val], temperature)[:, pos]
    p_test = softmax(logits[test], temperature)[:, pos]
    threshold = youden_threshold(y[val], p_val)
    t_sens = threshold_for_sensitivity(y[val], p_val, 0.90)
    t_spec = threshold_for_specificity(y[val], p_val, 0.90)
    low, high = min(t_sens, t_spec, threshold), max(t_sens, t_spec, threshold)
    ece_before, _ = reliability(y[val], softmax(logits[val], 1.0), ECE_BINS)
    ece_after, rel = reliability(y[val], softmax(logits[val], temperature), ECE_BINS)

    cov, shrink = ledoit_wolf(feats[train])
    mean = np.array(round_sig(feats[train].mean(axis=0)))
    precision = np.array(round_sig(np.linalg.inv(cov))).reshape(cov.shape)
    dist_val = mahalanobis(feats[val], mean, precision)
    ood_threshold = float(f'{np.quantile(dist_val, OOD_QUANTILE):.{SIG_DIGITS}g}')
    neg_images, neg_items = load_negatives()
    _, neg_feats = run(model, neg_images)
    dist_neg = mahalanobis(neg_feats, mean, precision)
    refusal = {
        'kermany-val': {'n': int(val.sum()), 'refused': int((dist_val > ood_threshold).sum())},
        'kermany-test': {'n': int(test.sum()), 'refused': int((mahalanobis(feats[test], mean, precision) > ood_threshold).sum())},
        'kermany-train-sample': {'n': int(train.sum()), 'refused': int((mahalanobis(feats[train], mean, precision) > ood_threshold).sum())},
    }
    kinds = np.array([it['kind'] for it in neg_items])
    for kind in sorted(set(kinds)):
        m = kinds == kind
        refusal[kind] = {'n': int(m.sum()), 'refused': int((dist_neg[m] > ood_threshold).sum()),
                         'medianDistance': float(np.median(dist_neg[m]))}
    for r in refusal.values():
        r['rate'] = r['refused'] / r['n']

    summary = {
        'checkpointSha256': checkpoint_sha,
        'temperature': temperature,
        'nllBefore': nll(logits[val], y[val], 1.0), 'nllAfter': nll(logits[val], y[val], temperature),
        'threshold': threshold,
        'thresholdRule': 'maximizes Youden J (sensitivity + specificity - 1) on validation calibrated P(PNEUMONIA); midpoint to the next lower score',
        'unsureBand': {
            'low': low, 'high': high,
            'rule': (f'between the validation thresholds giving 90% sensitivity ({t_sens:.4f}) and 90% specificity '
                     f'({t_spec:.4f}) on calibrated P(PNEUMONIA): [min, max], widened to include the operating threshold'),
        },
        'validation': metrics_at(y[val], p_val, threshold),
        'test': metrics_at(y[test], p_test, threshold),
        'ece': {'before': ece_before, 'after': ece_after, 'bins': ECE_BINS},
        'reliability': rel,
        'ood': {
            'method': 'mahalanobis', 'mean': mean.tolist(), 'precision': precision.ravel().tolist(),
            'threshold': ood_threshold,
            'thresholdRule': (f'{int(OOD_QUANTILE * 100)}th percentile of validation Mahalanobis distances (sqrt form) on gap features; '
                              f'mean and Ledoit-Wolf shrunk covariance (shrinkage {shrink:.3f}) from {int(train.sum())} seeded random train-split images; '
                              f'values rounded to {SIG_DIGITS} significant digits'),
        },
        'oodRefusal': refusal,
        'counts': {f'{s}/{l}': int(((split_all == s) & (y_all == i)).sum()) for s in ('train', 'val', 'test') for i, l in enumerate(LABELS)},
        'splitRule': manifest['rule'] + f' (seed {manifest["seed"]})',
    }
    with open(os.path.join(WORK, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    brief = {k: summary[k] for k in ('temperature', 'threshold', 'unsureBand', 'ece')}
    brief['val'] = {k: summary['validation'][k] for k in ('n', 'auc', 'aucCI95', 'accuracy', 'sensitivity', 'specificity')}
    brief['test'] = {k: summary['test'][k] for k in ('n', 'auc', 'aucCI95', 'accuracy', 'sensitivity', 'specificity')}
    brief['oodRefusal'] = refusal
    print(json.dumps(brief, indent=1), file=sys.stderr)


if __name__ == '__main__':
    main()
