import dcmjs from 'dcmjs';
import jpeg from 'jpeg-js';
import { newUid } from '../sr';

/**
 * Test fixtures made at test time: a real chest film (a Kermany JPEG) wrapped
 * as a CR DICOM with dcmjs, carrying a patient and study so that an SR about
 * it can be checked against them. The shared images themselves never enter
 * the repository.
 */
export interface FilmIdentity {
  patientName: string;
  patientId: string;
  studyInstanceUid?: string;
  accessionNumber?: string;
}

export interface FilmDicom {
  bytes: Uint8Array<ArrayBuffer>;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

export const CR_STORAGE = '1.2.840.10008.5.1.4.1.1.1';

/**
 * Bilinear upsampling of an 8-bit film to side × side at 12 bits stored, the
 * size and depth of a detector's CR/DX output, for timing what a real film
 * costs to decode and normalize.
 */
function detectorSized(grey: Uint8Array, width: number, height: number, side: number): Uint16Array {
  const out = new Uint16Array(side * side);
  for (let y = 0; y < side; y++) {
    const fy = Math.min(height - 1, ((y + 0.5) * height) / side - 0.5);
    const y0 = Math.max(0, Math.floor(fy)), y1 = Math.min(height - 1, y0 + 1), wy = Math.max(0, fy - y0);
    for (let x = 0; x < side; x++) {
      const fx = Math.min(width - 1, ((x + 0.5) * width) / side - 0.5);
      const x0 = Math.max(0, Math.floor(fx)), x1 = Math.min(width - 1, x0 + 1), wx = Math.max(0, fx - x0);
      const top = grey[y0 * width + x0] * (1 - wx) + grey[y0 * width + x1] * wx;
      const bottom = grey[y1 * width + x0] * (1 - wx) + grey[y1 * width + x1] * wx;
      out[y * side + x] = Math.round((top * (1 - wy) + bottom * wy) * (4095 / 255));
    }
  }
  return out;
}

/** `side`: upsample to side × side, 16 bits allocated, 12 stored (default: the JPEG's own size, 8 bits). */
export function chestFilmDicom(jpegBytes: Uint8Array, who: FilmIdentity, side?: number): FilmDicom {
  const img = jpeg.decode(jpegBytes, { useTArray: true, formatAsRGBA: true });
  const grey = new Uint8Array(img.width * img.height);
  for (let i = 0; i < grey.length; i++) grey[i] = img.data[i * 4]; // the films are grey: R = G = B
  const pixels = side ? detectorSized(grey, img.width, img.height, side) : grey;
  const rows = side ?? img.height, columns = side ?? img.width, bits = side ? 12 : 8;
  const studyInstanceUid = who.studyInstanceUid ?? newUid();
  const seriesInstanceUid = newUid();
  const sopInstanceUid = newUid();
  const dataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: CR_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: studyInstanceUid,
    SeriesInstanceUID: seriesInstanceUid,
    PatientName: who.patientName,
    PatientID: who.patientId,
    PatientBirthDate: '20230102', // 3 years old at the study: inside the bundled model's age range
    PatientSex: 'F',
    StudyDate: '20260301',
    StudyTime: '101500',
    StudyID: 'S1',
    AccessionNumber: who.accessionNumber ?? 'ACC1',
    ReferringPhysicianName: '',
    StudyDescription: 'Chest X-ray',
    Modality: 'CR',
    SeriesNumber: '1',
    InstanceNumber: '1',
    BodyPartExamined: 'CHEST',
    ViewPosition: 'PA',
    Manufacturer: 'RadLens test fixture',
    PatientOrientation: '',
    ImageType: ['DERIVED', 'SECONDARY'],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: side ? 16 : 8,
    BitsStored: bits,
    HighBit: bits - 1,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: side ? 'OW' : 'OB' },
  };
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: CR_STORAGE,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '2.25.179624335937394405396633213389406418215',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return { bytes: new Uint8Array(dict.write()), studyInstanceUid, seriesInstanceUid, sopInstanceUid };
}
