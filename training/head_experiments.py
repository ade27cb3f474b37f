"""Head-recipe experiments on COVID-CT in seconds instead of minutes.

Reads the features written by training/dump_ct_features.ts and refits the
linear head exactly as src/ml/training/linear-head.ts does (per-feature
standardization over all training rows, class-weighted softmax regression,
L2 0.01 on the kernel, full-batch Adam lr 0.01 for 400 steps), so the
pipeline's own numbers come out again (texture trunk, 4 views, seed 42: 0.815
on the official val folder). Then it varies one thing at a time: which images
the final head sees, the base, the number of views, and a signed square root
of the features.

Two checks, printed side by side:
- official val: fitted on COVID-CT's official train folder, scored on its
  official val folder (later papers and other web sources: the split that
  crosses sources the way another site does);
- pooled CV: official train and val pooled, 5 folds grouped by paper for
  COVID figures and by labels.csv patient for the others, mean AUC over 3
  fold seeds.

Experiment script, not part of the app. numpy only.
Run: python3 training/head_experiments.py <features dir>
"""
import json
import re
import sys

import numpy as np

from metrics import roc_auc

FEATURES = sys.argv[1] if len(sys.argv) > 1 else 'training/work/ct-features'
META = json.load(open(f'{FEATURES}/meta.json'))


def load(base, part):
    m = META[f'{base}-{part}']
    x = np.fromfile(f'{FEATURES}/{base}-{part}.f32', dtype=np.float32).reshape(m['n'], 5, m['d'])
    y = np.array([1 if it['label'] == 'COVID' else 0 for it in m['items']])
    return x, y, m


def auc(scores, labels):
    return roc_auc(labels, scores)


def fit(rows, labels, lam=0.01, steps=400, lr=0.01):
    """linear-head.ts's fit; returns a scoring function (logit difference)."""
    x = np.asarray(rows, np.float64)
    mean = x.mean(0)
    std = x.std(0)
    std[std <= 1e-7] = 1
    z = (x - mean) / std
    counts = np.bincount(labels, minlength=2)
    weights = (len(labels) / (2 * counts))[labels]
    weights = weights / weights.sum()
    target = np.eye(2)[labels]
    w = np.zeros((z.shape[1], 2))
    b = np.zeros(2)
    state = [np.zeros_like(w), np.zeros_like(w), np.zeros(2), np.zeros(2)]
    beta1, beta2, eps = 0.9, 0.999, 1e-7  # tfjs Adam defaults
    for t in range(1, steps + 1):
        logits = z @ w + b
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(1, keepdims=True)
        g = (p - target) * weights[:, None]
        grads = (z.T @ g + 2 * lam * w, g.sum(0))
        for k, (param, grad) in enumerate(zip((w, b), grads)):
            m1, m2 = state[2 * k], state[2 * k + 1]
            m1[...] = beta1 * m1 + (1 - beta1) * grad
            m2[...] = beta2 * m2 + (1 - beta2) * grad ** 2
            param -= lr * (m1 / (1 - beta1 ** t)) / (np.sqrt(m2 / (1 - beta2 ** t)) + eps)

    def score(new_rows):
        out = ((np.asarray(new_rows, np.float64) - mean) / std) @ w + b
        return out[:, 1] - out[:, 0]
    return score


def paper_of(item):
    found = re.match(r'^(.*?)-p\d+', item['file'].split('/')[-1])
    return found.group(1) if item['label'] == 'COVID' and found else item['csvPatient']


TRAIN = {b: load(b, 'train') for b in ('texture-trunk', 'radiology-ssl-trunk')}
VAL = {b: load(b, 'val') for b in ('texture-trunk', 'radiology-ssl-trunk')}
TRAIN_META, VAL_META = TRAIN['texture-trunk'][2], VAL['texture-trunk'][2]
TRAIN_Y, VAL_Y = TRAIN['texture-trunk'][1], VAL['texture-trunk'][1]
GROUPS = [paper_of(i) for i in TRAIN_META['items'] + VAL_META['items']]
POOLED_Y = np.concatenate([TRAIN_Y, VAL_Y])


def grouped_folds(seed, k=5):
    """Groups dealt largest first to the fold with fewest images of their class."""
    rng = np.random.default_rng(seed)
    members = {}
    for g, y in zip(GROUPS, POOLED_Y):
        members.setdefault(g, []).append(y)
    names = sorted(members)
    rng.shuffle(names)
    filled = np.zeros((2, k))
    fold = {}
    for g in sorted(names, key=lambda g: -len(members[g])):
        c = int(round(np.mean(members[g])))
        fold[g] = int(np.argmin(filled[c]))
        filled[c, fold[g]] += len(members[g])
    return np.array([fold[g] for g in GROUPS])


FOLDS = [grouped_folds(s) for s in (1, 2, 3)]


def features(base, part):
    source = TRAIN if part == 'train' else VAL
    if base == 'both':
        return np.concatenate([source['texture-trunk'][0], source['radiology-ssl-trunk'][0]], -1)
    return source[base][0]


def head_on(x, y, views):
    rows = np.concatenate([x[:, v] for v in range(views + 1)])
    return fit(rows, np.concatenate([y] * (views + 1)))


def pooled_cv(base, views, transform):
    x = np.concatenate([features(base, 'train'), features(base, 'val')])
    if transform:
        x = transform(x)
    aucs = []
    for fold in FOLDS:
        scores = np.zeros(len(x))
        for j in range(5):
            keep = fold != j
            scores[~keep] = head_on(x[keep], POOLED_Y[keep], views)(x[~keep, 0])
        aucs.append(auc(scores, POOLED_Y))
    return float(np.mean(aucs))


def official_val(base, views, images, seed='42', transform=None):
    x, vx = features(base, 'train'), features(base, 'val')
    if transform:
        x, vx = transform(x), transform(vx)
    split = np.array(TRAIN_META['splits'][seed])
    chosen = {'train split (70 %)': split == 'train', 'train + val splits (85 %)': split != 'test', 'all labelled (100 %)': np.ones(len(split), bool)}[images]
    return auc(head_on(x[chosen], TRAIN_Y[chosen], views)(vx[:, 0]), VAL_Y)


def signed_sqrt(x):
    return np.sign(x) * np.sqrt(np.abs(x))


def main():
    print('| base | views | final head fitted on | features | official val AUC, seeds 42 / 1 / 2 | pooled CV (by paper) |')
    print('| --- | ---: | --- | --- | --- | ---: |')
    cv = {}
    for base in ('texture-trunk', 'radiology-ssl-trunk', 'both'):
        rows = [(4, 'train split (70 %)', None), (4, 'train + val splits (85 %)', None), (4, 'all labelled (100 %)', None),
                (2, 'all labelled (100 %)', None), (0, 'all labelled (100 %)', None), (4, 'all labelled (100 %)', 'signed sqrt')]
        for views, images, name in rows:
            transform = signed_sqrt if name else None
            key = (views, name)
            if key not in cv:
                cv[key] = pooled_cv(base, views, transform)  # does not depend on which images the final head sees
            seeds = ['42'] if images == 'all labelled (100 %)' else ['42', '1', '2']
            val = ' / '.join(f'{official_val(base, views, images, s, transform):.3f}' for s in seeds) + (' (every seed)' if len(seeds) == 1 else '')
            print(f'| {base} | {views} | {images} | {name or "as is"} | {val} | {cv[key]:.3f} |', flush=True)
        cv.clear()


if __name__ == '__main__':
    main()
