"""Trains the reference NORMAL/PNEUMONIA CNN on the dumped dataset.

Writes work/best.pt and work/train-log.json (per-epoch loss, val AUC and
specificity at 95 % sensitivity for the raw and the weight-averaged model, timing).

Recipe "acquisition" (default, version 2): acquisition augmentation
(augment.augment_acquisition), label smoothing, AdamW weight decay, and an
exponential moving average (EMA) of the weights and BatchNorm statistics.
What ships is decided before training, not picked by validation: the EMA
weights after the last epoch, with their BatchNorm statistics re-estimated on
clean train images. Recipe "light" is the version-1 recipe (best raw epoch).
Run via training/train_cxr.sh; /usr/bin/python3 with torch 1.13 (CPU).
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import augment, augment_acquisition  # noqa: E402
from cxr_model import LABELS, WORK, CxrNet, load_dump, zscore_image  # noqa: E402
from metrics import roc_auc, threshold_for_sensitivity  # noqa: E402

RECIPE = os.environ.get('CXR_RECIPE', 'acquisition')
LIGHT = RECIPE == 'light'
EPOCHS = int(os.environ.get('CXR_EPOCHS', '14' if LIGHT else '6'))
# Version 1 shipped epoch 4 of a 14-epoch one-cycle schedule (the machine was
# oversubscribed); CXR_STOP_AFTER < CXR_EPOCHS cuts a schedule short.
STOP_AFTER = int(os.environ.get('CXR_STOP_AFTER', '4' if LIGHT else str(EPOCHS)))
BATCH = 64
LR = 2e-3
WEIGHT_DECAY = 0.01 if LIGHT else 0.05
LABEL_SMOOTHING = 0.0 if LIGHT else 0.1
EMA_DECAY = 0.99  # about 100 steps: the last ~2 of 6 epochs (57 steps each) dominate
SEED = int(os.environ.get('CXR_SEED', '1234'))
# Where best.pt, ema.pt and train-log.json go (a determinism check must not overwrite the real run's).
OUT = os.environ.get('CXR_TRAIN_OUT', WORK)


def split_arrays(images, manifest, split):
    idx = np.array([i for i, it in enumerate(manifest['items']) if it['split'] == split])
    labels = np.array([LABELS.index(manifest['items'][i]['label']) for i in idx])
    return idx, labels


@torch.no_grad()
def predict(model, images, idx, batch=128):
    model.eval()
    out = []
    for start in range(0, len(idx), batch):
        x = torch.from_numpy(images[idx[start:start + batch]]).contiguous(memory_format=torch.channels_last)
        out.append(model(zscore_image(x)))
    return torch.cat(out).numpy()


def val_scores(model, images, val_idx, val_y):
    logits = predict(model, images, val_idx)
    score = logits[:, 1] - logits[:, 0]
    t95 = threshold_for_sensitivity(val_y, score, 0.95)
    spec = float(((score < t95) & (val_y == 0)).sum() / (val_y == 0).sum())
    return roc_auc(val_y, score), spec


class Ema:
    """EMA of every float tensor of the state dict (weights and BN running stats)."""

    def __init__(self, model, decay):
        self.decay = decay
        self.steps = 0
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model):
        self.steps += 1
        d = min(self.decay, (1 + self.steps) / (10 + self.steps))
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.state[k].mul_(d).add_(v.detach(), alpha=1 - d)
            else:
                self.state[k].copy_(v)


@torch.no_grad()
def recompute_bn(model, images, idx, batch=128):
    """Re-estimates BatchNorm running statistics on clean (un-augmented) images:
    the averaged weights do not match averaged statistics exactly."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # cumulative average over all batches
    model.train()
    for start in range(0, len(idx), batch):
        x = torch.from_numpy(images[idx[start:start + batch]])
        model(zscore_image(x).contiguous(memory_format=torch.channels_last))
    model.eval()


def main():
    torch.set_num_threads(int(os.environ.get('CXR_THREADS', '2')))
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    images, manifest = load_dump()
    train_idx, train_y = split_arrays(images, manifest, 'train')
    val_idx, val_y = split_arrays(images, manifest, 'val')
    counts = np.bincount(train_y, minlength=len(LABELS))
    class_weights = torch.tensor(len(train_y) / (len(LABELS) * counts), dtype=torch.float32)
    print(f'recipe {RECIPE} train {len(train_idx)} {counts.tolist()} val {len(val_idx)} weights {class_weights.tolist()}',
          file=sys.stderr)

    model = CxrNet().to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    steps = (len(train_idx) + BATCH - 1) // BATCH
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=LR, epochs=EPOCHS, steps_per_epoch=steps, pct_start=0.2)
    ema = None if LIGHT else Ema(model, EMA_DECAY)
    aug = augment if LIGHT else augment_acquisition
    log = {'epochs': [], 'batch': BATCH, 'lr': LR, 'weightDecay': WEIGHT_DECAY, 'seed': SEED, 'recipe': RECIPE,
           'labelSmoothing': LABEL_SMOOTHING, 'emaDecay': None if LIGHT else EMA_DECAY}
    best_auc, best_epoch = -1.0, -1
    t_start = time.time()
    train_seconds = 0.0
    averaged = CxrNet().to(memory_format=torch.channels_last)
    for epoch in range(min(EPOCHS, STOP_AFTER)):
        model.train()
        t0 = time.time()
        order = torch.randperm(len(train_idx), generator=generator).numpy()
        total_loss = 0.0
        for step in range(steps):
            batch = train_idx[order[step * BATCH:(step + 1) * BATCH]]
            x = aug(torch.from_numpy(images[batch]), generator)
            x = zscore_image(x).contiguous(memory_format=torch.channels_last)
            y = torch.from_numpy(train_y[order[step * BATCH:(step + 1) * BATCH]])
            loss = F.cross_entropy(model(x), y, weight=class_weights, label_smoothing=LABEL_SMOOTHING)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            if ema:
                ema.update(model)
            total_loss += loss.item() * len(batch)
        epoch_train = time.time() - t0
        train_seconds += epoch_train
        entry = {
            'epoch': epoch + 1, 'loss': total_loss / len(train_idx),
            'trainSeconds': epoch_train, 'imgsPerSecond': len(train_idx) / epoch_train,
        }
        if ema:
            # Only the averaged model is scored (it is what ships); the raw one would cost another pass.
            averaged.load_state_dict(ema.state)
            torch.save(ema.state, os.path.join(OUT, 'ema.pt'))
            entry['emaValAuc'], entry['emaValSpecAtSens95'] = val_scores(averaged, images, val_idx, val_y)
        else:
            entry['valAuc'], entry['valSpecAtSens95'] = val_scores(model, images, val_idx, val_y)
        val_auc = entry.get('valAuc', -1.0)
        log['epochs'].append(entry)
        print(json.dumps(entry), file=sys.stderr, flush=True)
        if LIGHT and val_auc > best_auc:
            best_auc, best_epoch = val_auc, epoch + 1
            torch.save(model.state_dict(), os.path.join(OUT, 'best.pt'))
        # Written every epoch so an interrupted run still documents itself.
        log.update({
            'bestEpoch': best_epoch, 'bestValAuc': best_auc, 'totalSeconds': time.time() - t_start,
            'trainSeconds': train_seconds, 'imgsPerSecond': (epoch + 1) * len(train_idx) / train_seconds,
            'scheduledEpochs': EPOCHS, 'epochsRun': epoch + 1,
        })
        with open(os.path.join(OUT, 'train-log.json'), 'w') as f:
            json.dump(log, f, indent=1)
    if ema:
        finalize(averaged, ema.state, images, train_idx, val_idx, val_y, log)
    print(f'shipped val AUC {log["bestValAuc"]:.4f} (epoch {log["bestEpoch"]}); {log["totalSeconds"]:.0f} s', file=sys.stderr)


def finalize(averaged, state, images, train_idx, val_idx, val_y, log):
    """EMA state → BN re-estimated on clean train images → work/best.pt; records it in the log."""
    t0 = time.time()
    averaged.load_state_dict(state)
    recompute_bn(averaged, images, train_idx)
    best_auc, spec = val_scores(averaged, images, val_idx, val_y)
    best_epoch = log['epochsRun']
    torch.save(averaged.state_dict(), os.path.join(OUT, 'best.pt'))
    log.update({'bestEpoch': best_epoch, 'bestValAuc': best_auc, 'shippedValSpecAtSens95': spec,
                'shipped': 'EMA weights after the last epoch, BatchNorm statistics re-estimated on clean train images',
                'totalSeconds': log['totalSeconds'] + time.time() - t0})
    with open(os.path.join(OUT, 'train-log.json'), 'w') as f:
        json.dump(log, f, indent=1)


def finalize_cut_short():
    """`train_cxr.py --finalize`: ships the last saved EMA state of a run that was stopped
    before its schedule ended (recorded in the log as stoppedAfterEpoch)."""
    torch.set_num_threads(int(os.environ.get('CXR_THREADS', '2')))
    images, manifest = load_dump()
    train_idx, _ = split_arrays(images, manifest, 'train')
    val_idx, val_y = split_arrays(images, manifest, 'val')
    with open(os.path.join(OUT, 'train-log.json')) as f:
        log = json.load(f)
    log['stoppedAfterEpoch'] = log['epochsRun']
    finalize(CxrNet().to(memory_format=torch.channels_last), torch.load(os.path.join(OUT, 'ema.pt')), images, train_idx, val_idx, val_y, log)
    print(f'finalized EMA after epoch {log["epochsRun"]}: val AUC {log["bestValAuc"]:.4f}', file=sys.stderr)


if __name__ == '__main__':
    finalize_cut_short() if '--finalize' in sys.argv else main()
