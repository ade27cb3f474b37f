"""The operating point and unsure band by a rule that survives resampling.

Rule: the threshold on calibrated P(PNEUMONIA) is the median, over patient-level
bootstrap resamples of the validation split, of the largest threshold that
keeps validation sensitivity >= TARGET_SENSITIVITY. A Youden point on a small
split jumps between the tails of the two classes (version 1 landed at 0.19,
where another site's normals start); a sensitivity floor moves only with the
positives' lower tail, and the median over resamples damps that further.
The unsure band is [median threshold for BAND_SENSITIVITY, median threshold for
BAND_SPECIFICITY], widened to include the operating threshold.
"""
import numpy as np

from metrics import metrics_at, roc_auc, threshold_for_sensitivity, threshold_for_specificity

TARGET_SENSITIVITY = 0.95
BAND_SENSITIVITY = 0.99
BAND_SPECIFICITY = 0.98
BOOTSTRAPS = 1000


def bootstrap_thresholds(y, p, groups, seed=0, n=BOOTSTRAPS):
    """Per resample: (threshold at the target sensitivity, band low, band high)."""
    rng = np.random.default_rng(seed)
    out = []
    uniq, inverse = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(uniq))]
    for _ in range(n):
        idx = np.concatenate([members[g] for g in rng.integers(0, len(uniq), len(uniq))])
        yy, pp = y[idx], p[idx]
        if yy.min() == yy.max():
            continue
        out.append((threshold_for_sensitivity(yy, pp, TARGET_SENSITIVITY),
                    threshold_for_sensitivity(yy, pp, BAND_SENSITIVITY),
                    threshold_for_specificity(yy, pp, BAND_SPECIFICITY)))
    return np.array(out)


def operating_point(y, p, groups, seed=0):
    """threshold, band (low, high) and the spread of the threshold over the resamples."""
    b = bootstrap_thresholds(y, p, groups, seed)
    threshold = float(np.median(b[:, 0]))
    low = min(float(np.median(b[:, 1])), threshold)
    high = max(float(np.median(b[:, 2])), threshold)
    spread = {q: float(np.percentile(b[:, 0], q)) for q in (2.5, 25, 50, 75, 97.5)}
    return threshold, (low, high), {'resamples': int(len(b)), 'percentiles': {f'p{k:g}': v for k, v in spread.items()},
                                    'pointEstimate': threshold_for_sensitivity(y, p, TARGET_SENSITIVITY)}


def resplit(y, groups, seed):
    """Pooled held-out films re-cut 50/50 by patient, per class (as dataset-split.ts cuts by class)."""
    rng = np.random.default_rng(seed)
    first = np.zeros(len(y), dtype=bool)
    for cls in (0, 1):
        pats = np.unique(groups[y == cls])
        rng.shuffle(pats)
        target, count = (y == cls).sum() / 2, 0
        for g in pats:
            if count >= target:
                break
            m = (groups == g) & (y == cls)
            first |= m
            count += m.sum()
    return first


def split_seed_spread(y, p, groups, seeds=(1, 2, 3)):
    """The rule re-run on three other patient-level val/test cuts of the pooled held-out films."""
    rows = []
    for seed in seeds:
        val = resplit(y, groups, seed)
        t, (lo, hi), spread = operating_point(y[val], p[val], groups[val], seed)
        m = metrics_at(y[~val], p[~val], t)
        rows.append({'seed': seed, 'threshold': t, 'thresholdP2.5': spread['percentiles']['p2.5'],
                     'thresholdP97.5': spread['percentiles']['p97.5'], 'unsureBand': [lo, hi],
                     'nVal': int(val.sum()), 'nTest': int((~val).sum()), 'testAuc': m['auc'], 'testAucCI95': m['aucCI95'],
                     'testSensitivity': m['sensitivity'], 'testSpecificity': m['specificity'], 'testAccuracy': m['accuracy'],
                     'valAuc': roc_auc(y[val], p[val])})
    return rows
