"""Independent HTJ2K reference: pydicom takes each DICOM's codestream out of its
encapsulated pixel data, Debian's OpenJPH `ojph_expand` decodes it, and the
stored values are written as little-endian int32 beside a JSON line with the
header fields needed to compare (rows, columns, rescale).

usage: /usr/bin/python3 scripts/htj2k_expand.py <out-dir> <file.dcm>...
"""
import json
import os
import subprocess
import sys

import numpy as np
import pydicom
from pydicom.encaps import generate_pixel_data_frame


def main():
    out_dir = sys.argv[1]
    for path in sys.argv[2:]:
        ds = pydicom.dcmread(path)
        stream = next(generate_pixel_data_frame(ds.PixelData, 1))
        base = os.path.join(out_dir, os.path.basename(path))
        with open(base + '.j2c', 'wb') as f:
            f.write(stream)
        subprocess.run(['ojph_expand', '-i', base + '.j2c', '-o', base + '.yuv'], check=True, capture_output=True)
        rows, cols = int(ds.Rows), int(ds.Columns)
        dtype = '<i2' if int(ds.PixelRepresentation) == 1 else '<u2'
        if int(ds.BitsAllocated) == 8:
            dtype = 'i1' if int(ds.PixelRepresentation) == 1 else 'u1'
        stored = np.fromfile(base + '.yuv', dtype=dtype)[: rows * cols].astype('<i4')
        stored.tofile(base + '.i32')
        print(json.dumps({
            'file': path, 'rows': rows, 'columns': cols, 'values': base + '.i32',
            'transferSyntax': str(ds.file_meta.TransferSyntaxUID),
            'slope': float(getattr(ds, 'RescaleSlope', 1) or 1), 'intercept': float(getattr(ds, 'RescaleIntercept', 0) or 0),
        }))


if __name__ == '__main__':
    main()
