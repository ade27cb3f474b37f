"""card.json (radlens-trunk-card/1, src/ml/trunk/types.ts) for the exported SSL trunk.

Names every training source with its licence and image count (from
work/ssl-manifest.json), the run's steps and time (work/ssl-train-log.json),
and the sha256 of the weight file. Usage: python3 write_ssl_trunk_card.py <trunk dir>
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ssl_trunk_model import CHANNELS, SIZE  # noqa: E402
from export_tfjs import SHARD  # noqa: E402

WORK = os.path.join(HERE, 'work')
ID = 'radiology-ssl-trunk'
VERSION = '2.0.0'
SOURCES = {
    'kermany': 'Kermany et al. 2018 paediatric chest films (CC BY 4.0), carved train split only (training/README.md split)',
    'totalsegmentator': 'TotalSegmentator example CT volumes and DICOM series (Apache-2.0), axial slices in lung and mediastinum windows, cropped to the body',
    'dicom-samples': 'CT DICOM test files from cornerstone and pydicom (MIT)',
}


def main():
    out_dir = sys.argv[1]
    with open(os.path.join(WORK, 'ssl-manifest.json')) as f:
        counts = json.load(f)['counts']
    with open(os.path.join(WORK, 'ssl-train-log.json')) as f:
        log = json.load(f)
    with open(os.path.join(out_dir, SHARD), 'rb') as f:
        shard = f.read()
    dim = 3 * sum(CHANNELS)
    data = '; '.join(f'{SOURCES[k]}: {n} images' for k, n in counts.items())
    card = {
        'schema': 'radlens-trunk-card/1',
        'id': ID,
        'version': VERSION,
        'name': 'Radiology trunk, self-supervised (CT + chest X-ray)',
        'description': (f'The texture trunk\'s shape (five 3×3 conv stages, {", ".join(map(str, CHANNELS))} channels, ReLU, 2×2 average pooling; '
                        f'features = mean, maximum and mean square of every channel of every stage, {dim} values), trained without labels '
                        f'(SimCLR-style contrastive loss, {log["steps_done"]} steps of {log["batch"]} image pairs, {log["crop"]} px crops) on: {data}.'),
        'input': {'size': [SIZE, SIZE], 'channels': 1, 'fit': 'stretch', 'interpolation': 'area',
                  'window': {'kind': 'display'}, 'normalization': {'kind': 'zscore-image'}},
        'layers': {'features': 'features', 'gradcam': 'conv5'},
        'featureDim': dim,
        'construction': {
            'method': (f'self-supervised contrastive pretraining (NT-Xent, temperature {log["temperature"]}), no labels; '
                       f'augmentations: crop/zoom/rotation/flip, resolution loss, blur, contrast/gamma, noise, burnt-in marks; '
                       f'BatchNorm folded into the convolutions; {log["train_s"]} s on {log["threads"]} CPU thread(s)'),
            'seed': log['seed'],
            'tool': 'npm run trunk:ssl (training/train_ssl_trunk.sh)',
        },
        'trainingData': {'sources': [{'source': k, 'images': n, 'description': SOURCES[k]} for k, n in counts.items()],
                         'excluded': 'COVID-CT (no licence) was never used'},
        'intendedUse': ('A frozen feature extractor for fast transfer (head training) on a clinic\'s own small labelled CT or X-ray dataset. '
                        'It is not a classifier and makes no finding on its own.'),
        'limitations': [
            'Trained on few CT volumes (two TotalSegmentator examples and a 20-slice series) and on paediatric chest films; other anatomy, scanners and adult films are barely represented.',
            'Pretrained for about 30 minutes on one CPU thread: a short run; a longer one may help or not (not measured).',
            'The head trained on top still learns whatever separates the classes, including source and format differences; read the dataset warnings.',
            'Input is one grey channel at 224×224, stretched: aspect ratio is not kept.',
        ],
        'weights': [{'path': SHARD, 'sha256': hashlib.sha256(shard).hexdigest(), 'bytes': len(shard)}],
    }
    with open(os.path.join(out_dir, 'card.json'), 'w') as f:
        json.dump(card, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'wrote {out_dir}/card.json', file=sys.stderr)


if __name__ == '__main__':
    main()
