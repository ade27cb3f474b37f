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

export function chestFilmDicom(jpegBytes: Uint8Array, who: FilmIdentity): FilmDicom {
  const img = jpeg.decode(jpegBytes, { useTArray: true, formatAsRGBA: true });
  const grey = new Uint8Array(img.width * img.height);
  for (let i = 0; i < grey.length; i++) grey[i] = img.data[i * 4]; // the films are grey: R = G = B
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
    Rows: img.height,
    Columns: img.width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [grey.buffer],
    _vrMap: { PixelData: 'OB' },
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
