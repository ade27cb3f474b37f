"""Our own PyTorch → TensorFlow.js exporter for CxrNet.

Writes model.json (tfjs "layers-model": a Keras Sequential topology in
channels_last) and one little-endian float32 shard. BatchNorm is folded into
each conv's kernel and bias, so every Conv2D carries activation 'relu'.
Usage: python3 export_tfjs.py <checkpoint.pt> <out dir>
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cxr_model import DROPOUT, LABELS, POOL_AFTER, SIZE, CxrNet  # noqa: E402

SHARD = 'group1-shard1of1.bin'
INIT = {
    'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}},
    'bias_initializer': {'class_name': 'Zeros', 'config': {}},
    'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
    'kernel_constraint': None, 'bias_constraint': None,
}


def fold_batchnorm(block):
    """Conv (no bias) + BN (eval) → kernel [out,in,kh,kw] and bias [out] of one conv."""
    bn = block.bn
    scale = bn.weight.detach().double() / torch.sqrt(bn.running_var.double() + bn.eps)
    kernel = block.conv.weight.detach().double() * scale.view(-1, 1, 1, 1)
    bias = bn.bias.detach().double() - bn.running_mean.double() * scale
    return kernel, bias


def layer(class_name, name, **config):
    return {'class_name': class_name, 'config': {'name': name, 'trainable': True, 'dtype': 'float32', **config}}


def conv_layer(name, filters, first):
    extra = {'batch_input_shape': [None, SIZE, SIZE, 1]} if first else {}
    return layer('Conv2D', name, **extra, filters=filters, kernel_size=[3, 3], strides=[1, 1], padding='same',
                 data_format='channels_last', dilation_rate=[1, 1], activation='relu', use_bias=True, **INIT)


def export(model, out_dir):
    """Returns (model.json dict, shard bytes) and writes both into out_dir."""
    model.eval()
    layers, specs, chunks = [], [], []

    def add_weight(name, array):
        array = np.ascontiguousarray(array, dtype='<f4')
        specs.append({'name': name, 'shape': list(array.shape), 'dtype': 'float32'})
        chunks.append(array.tobytes())

    for i, (name, filters) in enumerate(model.convs):
        kernel, bias = fold_batchnorm(model.blocks[name])
        layers.append(conv_layer(name, filters, i == 0))
        add_weight(f'{name}/kernel', kernel.permute(2, 3, 1, 0).numpy())  # [out,in,kh,kw] → [kh,kw,in,out]
        add_weight(f'{name}/bias', bias.numpy())
        if name in POOL_AFTER:
            layers.append(layer('MaxPooling2D', POOL_AFTER[name], pool_size=[2, 2], padding='valid', strides=[2, 2],
                                data_format='channels_last'))
    layers.append(layer('GlobalAveragePooling2D', 'gap', data_format='channels_last'))
    layers.append(layer('Dropout', 'dropout', rate=model.dropout.p, noise_shape=None, seed=None))
    layers.append(layer('Dense', 'logits', units=len(LABELS), activation='linear', use_bias=True, **INIT))
    add_weight('logits/kernel', model.logits.weight.detach().numpy().T)  # [out,in] → [in,out]
    add_weight('logits/bias', model.logits.bias.detach().numpy())

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
    shard = b''.join(chunks)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(model_json, f, indent=1)
    with open(os.path.join(out_dir, SHARD), 'wb') as f:
        f.write(shard)
    return model_json, shard


def main():
    checkpoint, out_dir = sys.argv[1], sys.argv[2]
    model = CxrNet(dropout=DROPOUT)
    model.load_state_dict(torch.load(checkpoint))
    _, shard = export(model, out_dir)
    print(f'exported {len(shard)} weight bytes to {out_dir}', file=sys.stderr)


if __name__ == '__main__':
    main()
