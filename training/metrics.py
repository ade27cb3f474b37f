"""Metrics used for the model card: AUC (+bootstrap CI), confusion at a threshold,
temperature scaling, ECE/reliability, Ledoit-Wolf shrinkage. numpy only."""
import numpy as np


def roc_auc(y, score):
    """Mann-Whitney AUC with tie correction (average ranks)."""
    y = np.asarray(y).astype(bool)
    score = np.asarray(score, dtype=np.float64)
    order = np.argsort(score, kind='mergesort')
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    i = 0
    while i < len(score):
        j = i
        while j + 1 < len(score) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos, neg = y.sum(), (~y).sum()
    if pos == 0 or neg == 0:
        return float('nan')
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def bootstrap_auc_ci(y, score, n=1000, seed=0):
    rng = np.random.default_rng(seed)
    y, score = np.asarray(y), np.asarray(score)
    values = []
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].min() == y[idx].max():
            continue
        values.append(roc_auc(y[idx], score[idx]))
    return [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]


def softmax(logits, temperature=1.0):
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def nll(logits, y, temperature):
    p = softmax(logits, temperature)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1))))


def fit_temperature(logits, y):
    """Minimizes validation NLL over T: coarse log grid, then golden-section refinement."""
    grid = np.exp(np.linspace(np.log(0.05), np.log(20), 400))
    best = grid[int(np.argmin([nll(logits, y, t) for t in grid]))]
    lo, hi = best / 1.05, best * 1.05
    phi = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = hi - phi * (hi - lo), lo + phi * (hi - lo)
        if nll(logits, y, a) < nll(logits, y, b):
            hi = b
        else:
            lo = a
    return float((lo + hi) / 2)


def confusion_at(y, p_pos, threshold):
    y = np.asarray(y).astype(bool)
    pred = np.asarray(p_pos) >= threshold
    tp, fp = int((pred & y).sum()), int((pred & ~y).sum())
    tn, fn = int((~pred & ~y).sum()), int((~pred & y).sum())
    return {'tp': tp, 'fp': fp, 'tn': tn, 'fn': fn}


def metrics_at(y, p_pos, threshold, ci=True):
    c = confusion_at(y, p_pos, threshold)
    n = len(y)
    out = {
        'n': n,
        'auc': roc_auc(y, p_pos),
        'accuracy': (c['tp'] + c['tn']) / n,
        'sensitivity': c['tp'] / max(c['tp'] + c['fn'], 1),
        'specificity': c['tn'] / max(c['tn'] + c['fp'], 1),
        'threshold': threshold,
        'confusion': c,
    }
    if ci:
        out['aucCI95'] = bootstrap_auc_ci(y, p_pos)
    return out


def youden_threshold(y, p_pos):
    """Threshold maximizing sensitivity + specificity - 1 over the observed scores
    (midpoint between the chosen score and the next lower one)."""
    y = np.asarray(y).astype(bool)
    scores = np.unique(p_pos)
    best, best_t = -1.0, 0.5
    for i, t in enumerate(scores):
        pred = p_pos >= t
        j = (pred & y).sum() / y.sum() + (~pred & ~y).sum() / (~y).sum() - 1
        if j > best:
            best = j
            best_t = (t + scores[i - 1]) / 2 if i > 0 else t
    return float(best_t)


def threshold_for_sensitivity(y, p_pos, target):
    """Largest threshold whose sensitivity is at least target."""
    pos = np.sort(np.asarray(p_pos)[np.asarray(y).astype(bool)])
    k = int(np.floor((1 - target) * len(pos)))
    return float(pos[k])


def threshold_for_specificity(y, p_pos, target):
    """Smallest threshold whose specificity is at least target (scores >= threshold are positive)."""
    neg = np.sort(np.asarray(p_pos)[~np.asarray(y).astype(bool)])
    k = int(np.ceil(target * len(neg))) - 1
    return float(np.nextafter(neg[k], np.inf))


def reliability(y, probs, bins=15):
    """Top-label reliability: per equal-width confidence bin, accuracy, mean confidence, count; and ECE."""
    conf = probs.max(axis=1)
    pred = probs.argmax(axis=1)
    correct = (pred == np.asarray(y)).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    centers, acc, confs, counts = [], [], [], []
    ece = 0.0
    for b in range(bins):
        mask = (conf > edges[b]) & (conf <= edges[b + 1]) if b else (conf >= 0) & (conf <= edges[1])
        n = int(mask.sum())
        if n:
            ece += n / len(y) * abs(correct[mask].mean() - conf[mask].mean())
            centers.append(float((edges[b] + edges[b + 1]) / 2))
            acc.append(float(correct[mask].mean()))
            confs.append(float(conf[mask].mean()))
            counts.append(n)
    return float(ece), {'binCenters': centers, 'accuracy': acc, 'confidence': confs, 'counts': counts}


def ledoit_wolf(x):
    """Ledoit-Wolf (2004) shrinkage towards a scaled identity; returns (cov, shrinkage)."""
    x = x - x.mean(axis=0)
    n, d = x.shape
    s = x.T @ x / n
    mu = np.trace(s) / d
    delta = ((s - mu * np.eye(d)) ** 2).sum() / d
    beta = sum(((np.outer(r, r) - s) ** 2).sum() for r in x) / (d * n * n)
    beta = min(beta, delta)
    shrink = beta / delta if delta > 0 else 1.0
    return shrink * mu * np.eye(d) + (1 - shrink) * s, float(shrink)
