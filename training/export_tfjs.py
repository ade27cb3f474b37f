"""Our own PyTorch → TensorFlow.js exporter for CxrNet and the SSL trunk.

Writes model.json (tfjs "layers-model": a Keras Sequential topology in
channels_last for CxrNet, a functional one for the trunk) and one
little-endian shard. BatchNorm is folded into each conv's kernel and bias, so
every Conv2D carries activation 'relu'. CxrNet's weights are stored in the
precision that calibrate_cxr.py chose (summary.json `weights.precision`:
float16 halves the download when it leaves validation AUC unchanged); the
trunk stays float32.
Usage: python3 export_tfjs.py <checkpoint.pt> <out dir> [float16|float32]
       python3 export_tfjs.py --trunk <ssl-trunk.pt> <out dir>
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cxr_model import DROPOUT, LABELS, POOL_AFTER, SIZE, WORK, CxrNet  # noqa: E402
from shipped_weights import chosen_precision, fold_batchnorm, stored_arrays  # noqa: E402

SHARD = 'group1-shard1of1.bin'
INIT = {
    'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}},
    'bias_initializer': {'class_name': 'Zeros', 'config': {}},
    'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
    'kernel_constraint': None, 'bias_constraint': None,
}


def layer(class_name, name, **config):
    return {'class_name': class_name, 'config': {'name': name, 'trainable': True, 'dtype': 'float32', **config}}


def conv_layer(name, filters, first):
    extra = {'batch_input_shape': [None, SIZE, SIZE, 1]} if first else {}
    return layer('Conv2D', name, **extra, filters=filters, kernel_size=[3, 3], strides=[1, 1], padding='same',
                 data_format='channels_last', dilation_rate=[1, 1], activation='relu', use_bias=True, **INIT)


def write_bundle(out_dir, model_json, shard):
    """model.json and the one weight shard into out_dir; returns both."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(model_json, f, indent=1)
    with open(os.path.join(out_dir, SHARD), 'wb') as f:
        f.write(shard)
    return model_json, shard


def weight_spec(name, array):
    """Manifest entry; float16 is tfjs's "quantization" of a float32 weight, decoded back to float32 at load."""
    spec = {'name': name, 'shape': list(array.shape), 'dtype': 'float32'}
    if array.dtype == np.float16:
        spec['quantization'] = {'dtype': 'float16', 'original_dtype': 'float32'}
    return spec


def export(model, out_dir, precision='float32'):
    """Returns (model.json dict, shard bytes) and writes both into out_dir."""
    model.eval()
    layers = []
    for i, (name, filters) in enumerate(model.convs):
        layers.append(conv_layer(name, filters, i == 0))
        if name in POOL_AFTER:
            layers.append(layer('MaxPooling2D', POOL_AFTER[name], pool_size=[2, 2], padding='valid', strides=[2, 2],
                                data_format='channels_last'))
    layers.append(layer('GlobalAveragePooling2D', 'gap', data_format='channels_last'))
    layers.append(layer('Dropout', 'dropout', rate=model.dropout.p, noise_shape=None, seed=None))
    layers.append(layer('Dense', 'logits', units=len(LABELS), activation='linear', use_bias=True, **INIT))
    arrays = stored_arrays(model, precision)
    specs = [weight_spec(name, a) for name, a in arrays]
    chunks = [a.tobytes() for _, a in arrays]

    model_json = {
        'format': 'layers-model',
        'generatedBy': 'radlens training/export_tfjs.py',
        'convertedBy': None,
        'modelTopology': {
            'class_name': 'Sequential',
            'config': {'name': 'cxr_pneumonia', 'layers': layers},
            'keras_version': 'tfjs-layers 4.22.0',
            'backend': 'tensor_flow.js',
        },
        'weightsManifest': [{'paths': [SHARD], 'weights': specs}],
    }
    return write_bundle(out_dir, model_json, b''.join(chunks))


def node(*names):
    return [[[n, 0, 0, {}] for n in names]]


def trunk_topology(model, size):
    """The texture trunk's graph (src/ml/trunk/build.ts), with biases: conv stages, then mean/max/mean-square per stage."""
    layers = [{'name': 'image', 'class_name': 'InputLayer', 'inbound_nodes': [],
               'config': {'batch_input_shape': [None, size, size, 1], 'dtype': 'float32', 'sparse': False, 'name': 'image'}}]

    def add(class_name, name, inputs, **config):
        layers.append({'name': name, 'class_name': class_name, 'config': {'name': name, 'trainable': True, **config},
                       'inbound_nodes': node(*inputs) if inputs else []})

    prev = 'image'
    names = [name for name, _ in model.convs]
    for i, (name, filters) in enumerate(model.convs):
        add('Conv2D', name, [prev], filters=filters, kernel_size=[3, 3], strides=[1, 1], padding='same',
            data_format='channels_last', dilation_rate=[1, 1], activation='relu', use_bias=True, **INIT)
        prev = name
        if i < len(names) - 1:
            prev = f'pool{i + 1}'
            add('AveragePooling2D', prev, [name], pool_size=[2, 2], padding='valid', strides=[2, 2], data_format='channels_last')
    stats = []
    for i, name in enumerate(names, 1):
        # tfjs frees a tensor early when one layer takes it twice, so the square multiplies by an identity copy.
        add('Activation', f'copy{i}', [name], activation='linear')
        add('Multiply', f'square{i}', [name, f'copy{i}'])
        add('GlobalAveragePooling2D', f'mean{i}', [name], data_format='channels_last')
        add('GlobalMaxPooling2D', f'max{i}', [name], data_format='channels_last')
        add('GlobalAveragePooling2D', f'meansq{i}', [f'square{i}'], data_format='channels_last')
        stats += [f'mean{i}', f'max{i}', f'meansq{i}']
    add('Concatenate', 'features', stats, axis=-1)
    return {'class_name': 'Model', 'config': {'name': 'ssl_trunk', 'layers': layers, 'input_layers': [['image', 0, 0]],
                                              'output_layers': [['features', 0, 0]]},
            'keras_version': 'tfjs-layers 4.22.0', 'backend': 'tensor_flow.js'}


def export_trunk(model, out_dir, size):
    """The SSL trunk as a functional layers-model; returns (model.json dict, shard bytes)."""
    model.eval()
    specs, chunks = [], []
    for name, _ in model.convs:
        kernel, bias = fold_batchnorm(model.blocks[name])
        for suffix, array in (('kernel', kernel.permute(2, 3, 1, 0).numpy()), ('bias', bias.numpy())):
            array = np.ascontiguousarray(array, dtype='<f4')
            specs.append(weight_spec(f'{name}/{suffix}', array))
            chunks.append(array.tobytes())
    model_json = {'format': 'layers-model', 'generatedBy': 'radlens training/export_tfjs.py', 'convertedBy': None,
                  'modelTopology': trunk_topology(model, size), 'weightsManifest': [{'paths': [SHARD], 'weights': specs}]}
    return write_bundle(out_dir, model_json, b''.join(chunks))


def main():
    if sys.argv[1] == '--trunk':
        from ssl_trunk_model import SIZE as TRUNK_SIZE, SslTrunk
        trunk = SslTrunk()
        trunk.load_state_dict(torch.load(sys.argv[2]))
        _, shard = export_trunk(trunk, sys.argv[3], TRUNK_SIZE)
        print(f'exported {len(shard)} weight bytes to {sys.argv[3]}', file=sys.stderr)
        return
    checkpoint, out_dir = sys.argv[1], sys.argv[2]
    precision = sys.argv[3] if len(sys.argv) > 3 else chosen_precision(WORK)
    model = CxrNet(dropout=DROPOUT)
    model.load_state_dict(torch.load(checkpoint))
    _, shard = export(model, out_dir, precision)
    print(f'exported {len(shard)} weight bytes ({precision}) to {out_dir}', file=sys.stderr)



if __name__ == '__main__':
    main()
