import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSharedData } from '../test-data';
import { decodeFile, decodeFiles } from './decode';
import { volumeStats } from './inspect';
import { frameStats, toDisplayGrey } from './preprocess';
import { greyImage, makeDicom, uint16Pixels } from './dicom/test-fixtures';
import { ImagingError } from './types';

const read = (path: string) => new Uint8Array(readFileSync(path));

/** Index of the first differing value, or -1 (deep toEqual on 262k floats is very slow). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

async function expectError(promise: Promise<unknown>, code: ImagingError['code'], message: RegExp) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImagingError);
  expect((err as ImagingError).code).toBe(code);
  expect((err as ImagingError).message).toMatch(message);
}

describe('cornerstone CT slice in every transfer syntax', () => {
  const dir = requireSharedData('dicom', 'cornerstone');
  const files = readdirSync(dir).filter((f) => f.startsWith('CTImage.dcm'));

  it('has the original and 15 re-encodings', () => {
    expect(files.length).toBe(16);
  });

  it('decodes lossless syntaxes to exactly the uncompressed HU values', async () => {
    const base = await decodeFile('CTImage.dcm', read(join(dir, 'CTImage.dcm')));
    const lossless = files.filter((f) => /Implicit|Explicit|Deflated|RLE|Process14|LosslessOnly|JPEGLSLossless/.test(f));
    expect(lossless.length).toBe(9);
    for (const f of lossless) {
      const img = await decodeFile(f, read(join(dir, f)));
      expect(img.units, f).toBe('HU');
      expect(firstDifference(img.frames[0], base.frames[0]), f).toBe(-1);
    }
  });

  it('decodes lossy syntaxes (JPEG 8/12-bit, progressive, JPEG-LS near-lossless, JPEG 2000) close to the original', async () => {
    const base = (await decodeFile('CTImage.dcm', read(join(dir, 'CTImage.dcm')))).frames[0];
    const lossy = files.filter((f) => /Process1Trans|Process2_4|Process6_8|Process10_12|JPEGLSLossy|JPEG2000Transfer/.test(f));
    expect(lossy.length).toBe(6);
    for (const f of lossy) {
      const img = (await decodeFile(f, read(join(dir, f)))).frames[0];
      let sumAbs = 0;
      for (let i = 0; i < base.length; i++) sumAbs += Math.abs(img[i] - base[i]);
      // The 8-bit baseline JPEG has ~32 HU quantisation steps; the others are finer.
      expect(sumAbs / base.length, f).toBeLessThan(f.includes('Process1Trans') ? 40 : 8);
    }
  });

  it('gives Hounsfield units in known tissue ranges', async () => {
    const img = await decodeFile('CTImage.dcm', read(join(dir, 'CTImage.dcm')));
    expect(img.units).toBe('HU');
    expect(img.modality).toBe('CT');
    const f = img.frames[0];
    const s = frameStats(f);
    expect(s.min).toBe(-3024); // outside-the-scan padding
    // The corner is air outside the patient: about -1000 HU, or the padding.
    expect(f[0] === -3024 || Math.abs(f[0] + 1000) < 60).toBe(true);
    // The centre of a chest/abdomen slice is soft tissue: -100..+100 HU on average.
    let sum = 0, n = 0;
    for (let y = 246; y < 266; y++) for (let x = 246; x < 266; x++) { sum += f[y * 512 + x]; n++; }
    expect(sum / n).toBeGreaterThan(-150);
    expect(sum / n).toBeLessThan(150);
    expect(img.windows.length).toBeGreaterThan(0);
  });

  it('reads a multi-frame fragmented JPEG without an offset table', async () => {
    const img = await decodeFile('CT0012', read(join(dir, 'CT0012.fragmented_no_bot_jpeg_baseline.51.dcm')));
    expect(img.frames.length).toBe(2);
    expect(firstDifference(img.frames[0], img.frames[1])).not.toBe(-1);
  });
});

describe('colour and photometric handling', () => {
  it('converts JPEG YBR_FULL_422 multi-frame ultrasound to RGB', async () => {
    const img = await decodeFile('ybr', read(requireSharedData('dicom', 'pydicom', 'examples_ybr_color.dcm')));
    expect(img.samplesPerPixel).toBe(3);
    expect(img.photometric).toBe('RGB');
    expect(img.frames.length).toBe(30);
  });

  it('de-planarises big-endian planar RGB', async () => {
    const img = await decodeFile('rgb', read(requireSharedData('dicom', 'pydicom', 'ExplVR_BigEnd.dcm')));
    expect(img.samplesPerPixel).toBe(3);
    expect(img.frames[0].length).toBe(60 * 80 * 3);
  });

  it('inverts MONOCHROME1 in toDisplayGrey, not in the decoded values', async () => {
    const img = await decodeFile('cr', read(requireSharedData('dicom', 'pydicom_data', 'RG3_J2KR.dcm')));
    expect(img.photometric).toBe('MONOCHROME1');
    const f = img.frames[0];
    let lo = 0, hi = 0;
    for (let i = 0; i < f.length; i++) { if (f[i] < f[lo]) lo = i; if (f[i] > f[hi]) hi = i; }
    const display = toDisplayGrey(img, 0, 'minmax');
    expect(display[lo]).toBeCloseTo(1, 5); // the lowest stored value shows brightest
    expect(display[hi]).toBeCloseTo(0, 5);
  });

  it('maps PALETTE COLOR through its LUTs', async () => {
    const lut = (values: number[]) => uint16Pixels(values);
    const bytes = makeDicom(
      greyImage(1, 3, new Uint8Array([0, 1, 2, 0]), [
        [0x00280004, 'CS', 'PALETTE COLOR'],
        [0x00280100, 'US', 8],
        [0x00280101, 'US', 8],
        [0x00280102, 'US', 7],
        [0x00281101, 'US', [3, 0, 16]],
        [0x00281102, 'US', [3, 0, 16]],
        [0x00281103, 'US', [3, 0, 16]],
        [0x00281201, 'OW', lut([65535, 0, 0])],
        [0x00281202, 'OW', lut([0, 65535, 0])],
        [0x00281203, 'OW', lut([0, 0, 65535])],
      ]),
    );
    const img = await decodeFile('palette.dcm', bytes);
    expect(img.samplesPerPixel).toBe(3);
    expect(Array.from(img.frames[0])).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('masks to BitsStored and sign-extends signed 12-bit data', async () => {
    // 0xF800 has garbage above bit 11; 0x0FFF is -1 in 12-bit two's complement; 0x0800 is -2048.
    const bytes = makeDicom(greyImage(1, 3, uint16Pixels([0xf005, 0x0fff, 0x0800]), [
      [0x00280101, 'US', 12], [0x00280102, 'US', 11], [0x00280103, 'US', 1],
    ]));
    const img = await decodeFile('signed.dcm', bytes);
    expect(Array.from(img.frames[0])).toEqual([5, -1, -2048]);
  });

  it('applies a Modality LUT Sequence and reads multi-valued windows and a VOI LUT', async () => {
    const bytes = makeDicom(greyImage(1, 3, uint16Pixels([0, 1, 5]), [
      [0x00281050, 'DS', [40, -600]],
      [0x00281051, 'DS', [400, 1500]],
      [0x00283000, 'SQ', [[[0x00283002, 'US', [3, 0, 16]], [0x00283006, 'OW', uint16Pixels([10, 20, 30])]]]],
      [0x00283010, 'SQ', [[[0x00283002, 'US', [2, 10, 8]], [0x00283006, 'OW', uint16Pixels([0, 255])]]]],
    ]));
    const img = await decodeFile('lut.dcm', bytes);
    expect(Array.from(img.frames[0])).toEqual([10, 20, 30]);
    expect(img.windows.map((w) => [w.center, w.width])).toEqual([[40, 400], [-600, 1500]]);
    expect(img.voiLut?.firstMapped).toBe(10);
    expect(Array.from(img.voiLut!.data)).toEqual([0, 255]);
  });

  it('flags PHI in the metadata', async () => {
    const img = await decodeFile('CT_small', read(requireSharedData('dicom', 'pydicom', 'CT_small.dcm')));
    const name = img.metadata.find((m) => m.name === 'Patient Name');
    expect(name?.phi).toBe(true);
    expect(img.metadata.find((m) => m.name === 'Modality')?.phi).toBe(false);
    expect(img.patientId).toBeTruthy();
  });
});

describe('content sniffing', () => {
  it('reads a raw implicit-VR data set with no preamble or meta header', async () => {
    const file = read(requireSharedData('dicom', 'cornerstone', 'CTImage.dcm'));
    const metaLength = new DataView(file.buffer, file.byteOffset).getUint32(132 + 8, true);
    const raw = file.subarray(132 + 12 + metaLength);
    expect(raw[0] | (raw[1] << 8)).toBe(0x0008);
    const a = await decodeFile('raw-dataset.bin', raw);
    const b = await decodeFile('CTImage.dcm', file);
    expect(a.transferSyntax).toBe('1.2.840.10008.1.2');
    expect(firstDifference(a.frames[0], b.frames[0])).toBe(-1);
  });

  it('trusts content over extension', async () => {
    const png = await decodeFile('really-a-dicom.png', read(requireSharedData('dicom', 'pydicom', 'MR_small.dcm')));
    expect(png.format).toBe('dicom');
    const nii = await decodeFile('volume.dcm', read(requireSharedData('nifti', 'totalseg_example_ct_sm.nii.gz')));
    expect(nii.format).toBe('nifti');
  });
});

describe('bad input gets a specific error', () => {
  it('truncated file', async () => {
    const file = read(requireSharedData('dicom', 'cornerstone', 'CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm'));
    await expectError(decodeFile('cut.dcm', file.subarray(0, file.length / 2)), 'truncated', /cut\.dcm: .*truncated/);
    const j2k = read(requireSharedData('dicom', 'cornerstone', 'CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm'));
    await expectError(decodeFile('cut-j2k.dcm', j2k.subarray(0, j2k.length - 5000)), 'truncated', /cut-j2k\.dcm: .*truncated/);
  });

  it('non-DICOM content with a .dcm name', async () => {
    await expectError(decodeFile('notes.dcm', new TextEncoder().encode('Patient list\nnot an image at all\n'.repeat(20))), 'not-dicom', /notes\.dcm: .*not a DICOM file/);
  });

  it('unknown content names the file', async () => {
    await expectError(decodeFile('data.bin', new Uint8Array(300).fill(7)), 'unsupported-format', /data\.bin: unsupported file format/);
  });

  it('unsupported transfer syntax names the UID and its name', async () => {
    const mpeg = makeDicom(greyImage(2, 2, uint16Pixels([1, 2, 3, 4])), '1.2.840.10008.1.2.4.100');
    await expectError(decodeFile('video.dcm', mpeg), 'unsupported-transfer-syntax', /1\.2\.840\.10008\.1\.2\.4\.100 \(MPEG2 Main Profile/);
    const unknown = makeDicom(greyImage(2, 2, uint16Pixels([1, 2, 3, 4])), '1.2.3.999');
    await expectError(decodeFile('odd.dcm', unknown), 'unsupported-transfer-syntax', /unsupported transfer syntax 1\.2\.3\.999/);
  });

  it('missing pixel data', async () => {
    await expectError(decodeFile('sr.dcm', makeDicom(greyImage(2, 2, null))), 'no-pixel-data', /sr\.dcm: .*no pixel data/);
  });

  it('zero-size image', async () => {
    await expectError(decodeFile('empty.dcm', makeDicom(greyImage(0, 512, new Uint8Array(0)))), 'empty-image', /empty\.dcm: .*zero size/);
  });

  it('huge image is refused before any pixel buffer is allocated', async () => {
    // The header claims 16384×16384 but the file is tiny: refusal must come from the header.
    const huge = makeDicom(greyImage(16384, 16384, uint16Pixels([0, 0])));
    await expectError(decodeFile('huge.dcm', huge), 'too-large', /huge\.dcm: 16384×16384 .*too large/);
    const tallVolume = makeDicom(greyImage(4096, 4096, uint16Pixels([0, 0]), [[0x00280008, 'IS', 100]]));
    await expectError(decodeFile('volume.dcm', tallVolume), 'too-large', /GiB/);
  });

  it('large frames are block-averaged to at most 4096 px per side', async () => {
    const rows = 4100, cols = 5000;
    const pixels = new Uint8Array(rows * cols);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i % cols) & 1 ? 200 : 100;
    const img = await decodeFile('big.dcm', makeDicom(greyImage(rows, cols, pixels, [
      [0x00280100, 'US', 8], [0x00280101, 'US', 8], [0x00280102, 'US', 7],
    ])));
    expect([img.rows, img.columns]).toEqual([2050, 2500]);
    expect(img.downsampled).toMatch(/block-averaged 2×2/);
    expect(img.frames[0][0]).toBe(150);
  });

  it('one bad file does not stop a batch', async () => {
    const good = read(requireSharedData('dicom', 'pydicom', 'MR_small.dcm'));
    const results = await decodeFiles([
      { name: 'a.dcm', bytes: good },
      { name: 'bad.dcm', bytes: new Uint8Array(10) },
      { name: 'c.dcm', bytes: good },
    ]);
    expect(results.map((r) => !!r.image)).toEqual([true, false, true]);
    expect(results[1].error).toMatch(/bad\.dcm/);
    expect(volumeStats(results[2].image!).max).toBe(2145);
  });
});
