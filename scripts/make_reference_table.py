#!/usr/bin/python3
"""Reference values for src/imaging/reference.test.ts from an independent decoder.

DICOM: pydicom 2.3 with GDCM (Debian python3-pydicom + python3-gdcm), values
after the modality LUT (pydicom's apply_modality_lut), over all frames, before
VOI. NIfTI: a small reader of our own (gzip + struct + numpy; nibabel is not
installed), values after scl_slope/scl_inter (slope 0 or NaN means none).

Usage: /usr/bin/python3 scripts/make_reference_table.py [DATA_DIR] > src/imaging/reference-table.json
DATA_DIR defaults to $RADLENS_DATA or ../shared/data beside the repository.
Paths in the table are relative to DATA_DIR. Every DICOM (by 'DICM' marker or
extension) and NIfTI file under DATA_DIR is listed; a file the reference cannot
decode gets an "error" entry instead of values, so the test can say so.
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import pydicom
from pydicom import config
from pydicom.pixel_data_handlers import gdcm_handler, numpy_handler, rle_handler
from pydicom.pixel_data_handlers.util import apply_modality_lut, convert_color_space

# Native data through numpy, everything compressed through GDCM (RLE through
# pydicom's own handler only if GDCM refuses).
config.pixel_data_handlers = [numpy_handler, gdcm_handler, rle_handler]

LOSSLESS_SYNTAXES = {
    '1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2',
    '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.58', '1.2.840.10008.1.2.4.70',
    '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.92',
    '1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202',
}
HTJ2K_SYNTAXES = {'1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203'}
# The project's own generated fixtures (scripts/make_htj2k_fixtures.py), keyed under this prefix.
FIXTURE_PREFIX = 'radlens-fixtures/'
FIXTURE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'imaging', 'dicom', 'fixtures')


def is_dicom(path):
    try:
        with open(path, 'rb') as f:
            head = f.read(132)
        return len(head) == 132 and head[128:132] == b'DICM'
    except OSError:
        return False


def stats(arr):
    a = np.asarray(arr, dtype=np.float64)
    finite = a[np.isfinite(a)]
    if finite.size == 0:
        return {'min': None, 'max': None, 'mean': None}
    return {'min': float(finite.min()), 'max': float(finite.max()), 'mean': float(finite.mean())}


def dcmtk_decompressed(path):
    """GDCM (through pydicom) refuses the retired progressive JPEG processes;
    DCMTK's dcmdjpeg (IJG, 8/12-bit) decodes them, and pydicom reads the result."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'decoded.dcm')
        subprocess.run(['dcmdjpeg', path, out], check=True, capture_output=True)
        return pydicom.dcmread(out), 'decoded by DCMTK dcmdjpeg (pydicom+GDCM has no handler for this syntax)'


def htj2k_values(ds):
    """pydicom 2.3 and GDCM have no HTJ2K decoder: OpenJPH's ojph_expand decodes
    the single-frame codestream, pydicom applies the modality LUT."""
    import subprocess
    import tempfile
    from pydicom.encaps import generate_pixel_data_frame
    stream = next(generate_pixel_data_frame(ds.PixelData, 1))
    with tempfile.TemporaryDirectory() as tmp:
        j2c, raw = os.path.join(tmp, 'f.j2c'), os.path.join(tmp, 'f.yuv')
        with open(j2c, 'wb') as f:
            f.write(stream)
        subprocess.run(['ojph_expand', '-i', j2c, '-o', raw], check=True, capture_output=True)
        signed = int(ds.PixelRepresentation) == 1
        dtype = ('<i2' if signed else '<u2') if int(ds.BitsAllocated) > 8 else ('i1' if signed else 'u1')
        arr = np.fromfile(raw, dtype=dtype)[: int(ds.Rows) * int(ds.Columns)].reshape(int(ds.Rows), int(ds.Columns))
    return apply_modality_lut(arr, ds)


def dicom_entry(path):
    ds = pydicom.dcmread(path)
    ts = str(ds.file_meta.TransferSyntaxUID)
    if ts in HTJ2K_SYNTAXES:
        entry = {
            'format': 'dicom', 'transferSyntax': ts, 'photometric': str(ds.PhotometricInterpretation),
            'rows': int(ds.Rows), 'columns': int(ds.Columns), 'frames': int(getattr(ds, 'NumberOfFrames', 1) or 1),
            'samplesPerPixel': int(getattr(ds, 'SamplesPerPixel', 1)),
            'lossless': ts in LOSSLESS_SYNTAXES and str(getattr(ds, 'LossyImageCompression', '00')) != '01',
            'decoder': 'OpenJPH ojph_expand (pydicom %s has no HTJ2K handler)' % pydicom.__version__,
        }
        entry.update(stats(htj2k_values(ds)))
        return entry
    decoder = 'pydicom %s + gdcm' % pydicom.__version__
    try:
        ds.pixel_array
    except NotImplementedError:
        ds, decoder = dcmtk_decompressed(path)
    rows, cols = int(ds.Rows), int(ds.Columns)
    frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
    spp = int(getattr(ds, 'SamplesPerPixel', 1))
    photometric = str(ds.PhotometricInterpretation)
    arr = ds.pixel_array
    decoded_photometric = str(ds.PhotometricInterpretation)
    notes = []
    if spp == 3:
        # GDCM hands JPEG YBR back as RGB for some syntaxes and as YBR for others;
        # the table always holds RGB so it compares with our decoder's output.
        if decoded_photometric.startswith('YBR') and ts not in ('1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91'):
            arr = convert_color_space(arr, 'YBR_FULL', 'RGB')
            notes.append('YBR converted to RGB by pydicom.convert_color_space')
        values = arr
    elif 'SharedFunctionalGroupsSequence' in ds or 'PerFrameFunctionalGroupsSequence' in ds:
        # Enhanced multi-frame: pydicom 2.3 ignores the Pixel Value Transformation
        # functional group, so the rescale comes from GDCM's own reading of it.
        import gdcm
        reader = gdcm.ImageReader()
        reader.SetFileName(path)
        if not reader.Read():
            raise RuntimeError('GDCM could not read ' + path)
        image = reader.GetImage()
        values = arr.astype('float64') * image.GetSlope() + image.GetIntercept()
        notes.append('enhanced multi-frame: rescale %g/%g from GDCM (functional groups)' % (image.GetSlope(), image.GetIntercept()))
    else:
        values = apply_modality_lut(arr, ds)
    entry = {
        'format': 'dicom',
        'transferSyntax': ts,
        'photometric': photometric,
        'rows': rows,
        'columns': cols,
        'frames': frames,
        'samplesPerPixel': spp,
        'lossless': ts in LOSSLESS_SYNTAXES and str(getattr(ds, 'LossyImageCompression', '00')) != '01',
        'decoder': decoder,
    }
    entry.update(stats(values))
    if notes:
        entry['notes'] = notes
    return entry


NIFTI_DTYPES = {
    2: 'u1', 4: 'i2', 8: 'i4', 16: 'f4', 64: 'f8', 256: 'i1', 512: 'u2', 768: 'u4', 1024: 'i8', 1280: 'u8',
}


def nifti_entry(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    size_le = struct.unpack('<i', data[:4])[0]
    endian = '<' if size_le in (348, 540) else '>'
    size = struct.unpack(endian + 'i', data[:4])[0]
    if size == 348:
        dim = struct.unpack(endian + '8h', data[40:56])
        datatype = struct.unpack(endian + 'h', data[70:72])[0]
        vox_offset = int(struct.unpack(endian + 'f', data[108:112])[0])
        slope, inter = struct.unpack(endian + '2f', data[112:120])
    elif size == 540:
        dim = struct.unpack(endian + '8q', data[16:80])
        datatype = struct.unpack(endian + 'h', data[12:14])[0]
        vox_offset = int(struct.unpack(endian + 'q', data[168:176])[0])
        slope, inter = struct.unpack(endian + '2d', data[176:192])
    else:
        raise ValueError('not a NIfTI-1/2 header')
    ndim = dim[0]
    shape = [int(d) for d in dim[1:1 + ndim]]
    count = int(np.prod(shape))
    dt = np.dtype(endian + NIFTI_DTYPES[datatype])
    values = np.frombuffer(data, dtype=dt, count=count, offset=vox_offset).astype(np.float64)
    if slope and np.isfinite(slope):
        values = values * slope + inter
    nx, ny = shape[0], shape[1] if ndim > 1 else 1
    nz = int(np.prod(shape[2:])) if ndim > 2 else 1
    entry = {
        'format': 'nifti',
        'transferSyntax': None,
        'rows': ny,
        'columns': nx,
        'frames': nz,
        'samplesPerPixel': 1,
        'datatype': datatype,
        'sclSlope': float(slope),
        'sclInter': float(inter),
        'lossless': True,
        'decoder': 'numpy NIfTI reader (make_reference_table.py)',
    }
    entry.update(stats(values))
    return entry


def walk(root, table, prefix=''):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = prefix + os.path.relpath(path, root)
            kind = None
            if name.endswith('.nii') or name.endswith('.nii.gz'):
                kind = 'nifti'
            elif name.endswith('.dcm') or is_dicom(path):
                kind = 'dicom'
            if not kind:
                continue
            try:
                table[rel] = nifti_entry(path) if kind == 'nifti' else dicom_entry(path)
            except Exception as exc:  # noqa: BLE001 - record, never hide, a reference failure
                table[rel] = {'format': kind, 'error': '%s: %s' % (type(exc).__name__, exc)}
            print(rel, file=sys.stderr)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    args = sys.argv[1:]
    if args[:1] == ['--fixtures-into']:
        # Refresh only the project's own fixtures inside an existing table.
        with open(args[1]) as f:
            doc = json.load(f)
        table = {k: v for k, v in doc['files'].items() if not k.startswith(FIXTURE_PREFIX)}
        walk(FIXTURE_DIR, table, FIXTURE_PREFIX)
        doc['files'] = table
        json.dump(doc, sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write('\n')
        return
    default = os.environ.get('RADLENS_DATA') or os.path.join(here, '..', '..', 'shared', 'data')
    root = os.path.abspath(args[0] if args else default)
    table = {}
    walk(root, table)
    walk(FIXTURE_DIR, table, FIXTURE_PREFIX)
    json.dump({'generatedBy': 'scripts/make_reference_table.py', 'files': table}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
