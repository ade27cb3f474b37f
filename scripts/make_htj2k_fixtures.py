"""Makes the HTJ2K test fixtures in src/imaging/dicom/fixtures/htj2k/.

A 128x128 crop of the shared uncompressed CT slice (signed 16-bit, rescale
-1024) is encoded with Debian's OpenJPH (`ojph_compress`) three ways and
wrapped in DICOM with pydicom, keeping the source's header:
  ct-htj2k-lossless.dcm      1.2.840.10008.1.2.4.201  reversible, LRCP
  ct-htj2k-rpcl.dcm          1.2.840.10008.1.2.4.202  reversible, RPCL
  ct-htj2k-lossy.dcm         1.2.840.10008.1.2.4.203  irreversible (qstep 0.0001)
plus ct-crop-uncompressed.dcm (explicit VR little endian) holding the crop's
stored values, for the lossless comparison. Small enough to commit (the crop
comes from the MIT-licensed cornerstone test data).

usage: /usr/bin/python3 scripts/make_htj2k_fixtures.py [shared-data-dir]
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'imaging', 'dicom', 'fixtures', 'htj2k')
CASES = [
    ('ct-htj2k-lossless.dcm', '1.2.840.10008.1.2.4.201', ['-reversible', 'true', '-prog_order', 'LRCP']),
    ('ct-htj2k-rpcl.dcm', '1.2.840.10008.1.2.4.202', ['-reversible', 'true', '-prog_order', 'RPCL']),
    ('ct-htj2k-lossy.dcm', '1.2.840.10008.1.2.4.203', ['-qstep', '0.0001']),
]


def register_htj2k():
    # pydicom 2.3 predates HTJ2K (2023): tell it these UIDs are compressed transfer syntaxes.
    from pydicom._uid_dict import UID_dictionary
    for _name, ts, _opts in CASES:
        UID_dictionary.setdefault(ts, ('High-Throughput JPEG 2000', 'Transfer Syntax', '', '', 'HTJ2K'))


def main():
    register_htj2k()
    data = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.environ.get('RADLENS_DATA') or os.path.join(HERE, '..', '..', 'shared', 'data'))
    src = pydicom.dcmread(os.path.join(data, 'dicom', 'cornerstone', 'CTImage.dcm'))
    crop = np.ascontiguousarray(src.pixel_array[192:320, 192:320].astype('<i2'))
    os.makedirs(OUT, exist_ok=True)
    src.Rows, src.Columns = crop.shape

    plain = src.copy()
    plain.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    plain.is_implicit_VR, plain.is_little_endian = False, True
    plain.PixelData = crop.tobytes()
    plain['PixelData'].VR = 'OW'
    plain.save_as(os.path.join(OUT, 'ct-crop-uncompressed.dcm'), write_like_original=False)

    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, 'crop.yuv')
        crop.tofile(raw)
        for name, ts, options in CASES:
            j2c = os.path.join(tmp, name + '.j2c')
            subprocess.run(['ojph_compress', '-i', raw, '-o', j2c, '-dims', '{128,128}', '-num_comps', '1', '-signed', 'true',
                            '-bit_depth', '16', '-downsamp', '{1,1}', *options], check=True, capture_output=True)
            with open(j2c, 'rb') as f:
                stream = f.read()
            ds = src.copy()
            ds.file_meta.TransferSyntaxUID = ts
            ds.is_implicit_VR, ds.is_little_endian = False, True
            ds.PixelData = encapsulate([stream])
            ds['PixelData'].VR = 'OB'
            ds['PixelData'].is_undefined_length = True
            if ts.endswith('.203'):
                ds.LossyImageCompression = '01'
                ds.LossyImageCompressionMethod = 'ISO_15444_15'
            ds.save_as(os.path.join(OUT, name), write_like_original=False)
            print(name, len(stream), 'bytes of codestream', file=sys.stderr)


if __name__ == '__main__':
    main()
