"""Assembles public/models/cxr-pneumonia/card.json (src/ml/card-types.ts ModelCard)
from work/summary.json, work/train-log.json and the exported weight files.
Usage: python3 write_card.py <model dir> [checkpoint the model dir was exported from]

Refuses to write when summary.json was measured on a different checkpoint.
The card's `gate` section (the refusal gate, fit_gate.py) is carried over
unchanged from the card already in <model dir>, else from the shipped card:
retraining the classifier never changes what is refused.
"""
import datetime
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cxr_model import LABELS, SIZE, WORK  # noqa: E402

VERSION = '2.2.0'
SHIPPED_CARD = os.path.join(os.path.dirname(HERE), 'public', 'models', 'cxr-pneumonia', 'card.json')
AGE_YEARS = {'min': 1, 'max': 5}
INPUT = {
    'size': [SIZE, SIZE], 'channels': 1, 'fit': 'stretch', 'interpolation': 'area',
    'window': {'kind': 'display'}, 'normalization': {'kind': 'zscore-image'},
}
LIMITATIONS = [
    'Pediatric patients only (age 1-5 years); not validated on adults, whose anatomy and disease mix differ. DICOM films whose PatientAge (or PatientBirthDate with StudyDate) falls outside 1-5 years are refused; PNG/JPEG carry no age, so the result says it could not be checked.',
    'Trained on one site (Guangzhou Women and Children\'s Medical Center) and its equipment; other sites may shift the scores, so validate locally before use.',
    'Frontal (AP/PA) chest radiographs only; lateral views, other body parts, CT slices and photographs are outside its scope and refused when detected.',
    'Learned from 224x224 JPEG copies whose aspect ratio was stretched, not from DICOM; fine detail and the original grey-level range were lost.',
    'Labels come from the published dataset and have known noise; "PNEUMONIA" merges bacterial and viral cases and the model does not tell them apart.',
    'The official Kermany test split is distribution-shifted (more false positives on normal films); the reported test metrics are on a patient-disjoint split carved from the training folder and are likely optimistic. The operating threshold was chosen for 95% sensitivity on validation (not Youden) so that another site\'s normals are less often flagged.',
    'Two classes only: other findings (effusion, nodules, devices, tuberculosis, COVID-19) are not recognised and may be called NORMAL or PNEUMONIA.',
    'The refusal gate is a distance on the statistics of a fixed texture trunk, fitted on the training films: it reduces, but does not remove, answers on unsuitable images, and it refuses about 2% of genuine films from the training site (more from a site whose films look different).',
]


def file_entry(model_dir, name):
    with open(os.path.join(model_dir, name), 'rb') as f:
        data = f.read()
    return {'path': name, 'sha256': hashlib.sha256(data).hexdigest(), 'bytes': len(data)}


def round_floats(value, digits=6):
    if isinstance(value, float):
        return float(f'{value:.{digits}g}')
    if isinstance(value, list):
        return [round_floats(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: round_floats(v, digits) for k, v in value.items()}
    return value


def carried_gate(model_dir):
    for path in (os.path.join(model_dir, 'card.json'), SHIPPED_CARD):
        if os.path.exists(path):
            with open(path) as f:
                gate = json.load(f).get('gate')
            if gate:
                return gate
    sys.exit('no refusal gate to carry over: run npm run gate:fit first')


def main():
    model_dir = sys.argv[1]
    checkpoint = sys.argv[2] if len(sys.argv) > 2 else os.path.join(WORK, 'best.pt')
    with open(os.path.join(WORK, 'summary.json')) as f:
        s = json.load(f)
    with open(checkpoint, 'rb') as f:
        if hashlib.sha256(f.read()).hexdigest() != s.get('checkpointSha256'):
            sys.exit(f'summary.json was not measured on {checkpoint}: rerun calibrate_cxr.py')
    with open(os.path.join(WORK, 'train-log.json')) as f:
        log = json.load(f)
    with open(os.path.join(model_dir, 'model.json')) as f:
        model_json = json.load(f)
    names = [layer['config']['name'] for layer in model_json['modelTopology']['config']['layers']]
    counts = {label: sum(v for k, v in s['counts'].items() if k.endswith('/' + label)) for label in LABELS}
    counts.update({k.replace('/', ' '): v for k, v in s['counts'].items()})
    gate = carried_gate(model_dir)
    limitations = list(LIMITATIONS)
    if log.get('scheduledEpochs', log['epochsRun']) > log['epochsRun']:
        limitations.append(
            f'These weights are the best-validation checkpoint (epoch {log["bestEpoch"]}) of a run scheduled for '
            f'{log["scheduledEpochs"]} epochs and stopped after epoch {log.get("stoppedAfterEpoch", log["epochsRun"])} '
            'because the build machine was oversubscribed; npm run train:reference runs the full schedule.')
    card = {
        'schema': 'radlens-model-card/1',
        'id': 'cxr-pneumonia',
        'version': VERSION,
        'name': 'Pediatric chest X-ray: pneumonia triage (reference)',
        'task': 'Binary classification of a frontal pediatric chest radiograph as NORMAL or PNEUMONIA',
        'modalities': ['CR', 'DX'],
        'bodyPart': 'CHEST',
        'labels': LABELS,
        'positiveLabel': 'PNEUMONIA',
        'threshold': round_floats(s['threshold']),
        'unsureBand': {**round_floats({'low': s['unsureBand']['low'], 'high': s['unsureBand']['high']}), 'rule': s['unsureBand']['rule']},
        'temperature': round_floats(s['temperature']),
        'input': INPUT,
        'output': 'logits',
        'layers': {'gradcam': 'conv7', 'features': 'gap', 'headStart': names.index('dropout')},
        'metrics': round_floats({
            'validation': s['validation'], 'test': s['test'], 'ece': s['ece'], 'reliability': s['reliability'],
        }),
        'thresholdRule': s['thresholdRule'],
        'thresholdStability': round_floats(s['thresholdStability']),
        'gate': gate,
        'population': {'ageYears': AGE_YEARS, 'description': 'Children aged 1-5 years (Guangzhou Women and Children\'s Medical Center cohort)'},
        'intendedUse': (
            'Triage aid for frontal chest radiographs of children aged 1-5 years, as in the Guangzhou cohort it was '
            'trained on: it orders a worklist or flags films for earlier reading. It is not a diagnosis and must not be '
            'used without a clinician reading the image.'
        ),
        'limitations': limitations,
        'trainingData': {
            'description': (
                'Kermany D.S. et al. 2018, "Identifying Medical Diagnoses and Treatable Diseases by Image-Based Deep '
                'Learning" (Cell 172:1122), pediatric chest X-rays from Guangzhou Women and Children\'s Medical Center: '
                'the official train folder (224x224 RGB JPEG copies). The official test split was not used.'
            ),
            'licence': 'CC BY 4.0',
            'counts': counts,
            'split': 'train 70% / validation 15% / test 15% by patient: ' + s['splitRule'],
        },
        'training': {
            'date': datetime.date.today().isoformat(),
            'mode': 'reference',
            'epochs': log['bestEpoch'],
            'seconds': round(log['totalSeconds'], 1),
            'tool': 'PyTorch 1.13 CPU + radlens export_tfjs.py',
            'weightPrecision': round_floats(s['weights']),
        },
        'weights': [file_entry(model_dir, p) for group in model_json['weightsManifest'] for p in group['paths']],
    }
    with open(os.path.join(model_dir, 'card.json'), 'w') as f:
        json.dump(card, f, indent=1)
    print(f'wrote {os.path.join(model_dir, "card.json")}', file=sys.stderr)


if __name__ == '__main__':
    main()
