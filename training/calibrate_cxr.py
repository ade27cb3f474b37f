"""Calibration, operating point and metrics for the trained classifier.

Reads work/best.pt and the dump; writes work/summary.json, which
write_card.py turns into the model card. Rules are recorded next to numbers.
Every number is measured through the weights as the bundle stores them
(folded, then float16 or float32: `shipped_weights.precision_rule` on the
validation AUC), so the card describes what the page runs.
Refusal is not measured here: the gate (fit_gate.py) is separate from the
classifier and does not change when it is retrained.
"""
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cxr_model import LABELS, WORK, CxrNet, load_dump, zscore_image  # noqa: E402
from metrics import fit_temperature, metrics_at, nll, reliability, roc_auc, softmax  # noqa: E402
from operating_point import (  # noqa: E402
    BAND_SENSITIVITY, BAND_SPECIFICITY, BOOTSTRAPS, TARGET_SENSITIVITY, operating_point, split_seed_spread,
)
from shipped_weights import MAX_AUC_CHANGE, forward, precision_rule, stored_arrays  # noqa: E402

ECE_BINS = 15


def run(model, arrays, images, batch=128):
    """Logits of display images (N,1,H,W) in [0,1] through the stored weights, float64."""
    logits = []
    for start in range(0, len(images), batch):
        x = zscore_image(torch.from_numpy(images[start:start + batch])).contiguous(memory_format=torch.channels_last)
        logits.append(forward(model, arrays, x))
    return torch.cat(logits).numpy().astype(np.float64)


def choose_precision(model, images, y, pos):
    """(precision, the rule's record): float16 if validation AUC is unchanged, else float32."""
    logits = {p: run(model, stored_arrays(model, p), images) for p in ('float32', 'float16')}
    aucs = {p: roc_auc(y, softmax(v, 1.0)[:, pos]) for p, v in logits.items()}
    precision = precision_rule(aucs['float32'], aucs['float16'])
    record = {
        'precision': precision,
        'validationAuc': aucs,
        'maxLogitChange': float(np.abs(logits['float16'] - logits['float32']).max()),
        'rule': f'float16 if |validation AUC(float16) - AUC(float32)| < {MAX_AUC_CHANGE:g}, else float32 (folded weights, uncalibrated scores)',
    }
    return precision, record


def main():
    torch.set_num_threads(int(os.environ.get('CXR_THREADS', '2')))
    images, manifest = load_dump()
    items = manifest['items']
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, 'best.pt')
    with open(checkpoint, 'rb') as f:
        checkpoint_sha = hashlib.sha256(f.read()).hexdigest()
    model = CxrNet()
    model.load_state_dict(torch.load(checkpoint))
    y_all = np.array([LABELS.index(it['label']) for it in items])
    split_all = np.array([it['split'] for it in items])
    patients = np.array([it['patient'] for it in items])
    keep = np.flatnonzero(split_all != 'train')
    y, split, groups = y_all[keep], split_all[keep], patients[keep]
    val, test = split == 'val', split == 'test'
    pos = LABELS.index('PNEUMONIA')
    precision, weights = choose_precision(model, images[keep][val], y[val], pos)
    logits = run(model, stored_arrays(model, precision), images[keep])

    temperature = fit_temperature(logits[val], y[val])
    p_val = softmax(logits[val], temperature)[:, pos]
    p_test = softmax(logits[test], temperature)[:, pos]
    threshold, (low, high), spread = operating_point(y[val], p_val, groups[val])
    ece_before, _ = reliability(y[val], softmax(logits[val], 1.0), ECE_BINS)
    ece_after, rel = reliability(y[val], softmax(logits[val], temperature), ECE_BINS)
    # The same rule on three other patient-level cuts of the pooled held-out films (same weights and temperature).
    held = val | test
    p_held = softmax(logits[held], temperature)[:, pos]
    seeds = split_seed_spread(y[held], p_held, groups[held])

    summary = {
        'checkpointSha256': checkpoint_sha,
        'weights': weights,
        'temperature': temperature,
        'nllBefore': nll(logits[val], y[val], 1.0), 'nllAfter': nll(logits[val], y[val], temperature),
        'threshold': threshold,
        'thresholdRule': (f'median over {BOOTSTRAPS} patient-level bootstrap resamples of the validation split of the largest '
                          f'threshold on calibrated P(PNEUMONIA) that keeps sensitivity >= {TARGET_SENSITIVITY:g}'),
        'thresholdStability': {
            'bootstrap': spread,
            'splitSeeds': seeds,
            'note': ('splitSeeds: the validation and test films pooled and re-cut 50/50 by patient (per class) with seeds 1, 2, 3; '
                     'the rule re-run on each new validation half and measured on the other half. Same weights and temperature: '
                     'it shows how much the operating point and the test numbers move with the carve-out, not with retraining.'),
        },
        'unsureBand': {
            'low': low, 'high': high,
            'rule': (f'[median bootstrap threshold for {BAND_SENSITIVITY:g} sensitivity, median bootstrap threshold for '
                     f'{BAND_SPECIFICITY:g} specificity] on validation calibrated P(PNEUMONIA), widened to include the operating threshold'),
        },
        'validation': metrics_at(y[val], p_val, threshold),
        'test': metrics_at(y[test], p_test, threshold),
        'ece': {'before': ece_before, 'after': ece_after, 'bins': ECE_BINS},
        'reliability': rel,
        'counts': {f'{s}/{l}': int(((split_all == s) & (y_all == i)).sum()) for s in ('train', 'val', 'test') for i, l in enumerate(LABELS)},
        'splitRule': manifest['rule'] + f' (seed {manifest["seed"]})',
    }
    with open(os.path.join(WORK, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    brief = {k: summary[k] for k in ('weights', 'temperature', 'threshold', 'unsureBand', 'ece')}
    brief['val'] = {k: summary['validation'][k] for k in ('n', 'auc', 'aucCI95', 'accuracy', 'sensitivity', 'specificity')}
    brief['test'] = {k: summary['test'][k] for k in ('n', 'auc', 'aucCI95', 'accuracy', 'sensitivity', 'specificity')}
    brief['thresholdStability'] = summary['thresholdStability']
    print(json.dumps(brief, indent=1), file=sys.stderr)


if __name__ == '__main__':
    main()
