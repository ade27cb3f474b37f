/**
 * The DICOM transfer syntaxes this decoder knows, and how each one's pixel
 * data is read. Unknown UIDs are refused by name, never guessed.
 */

export type PixelEncoding =
  | 'native'
  | 'rle'
  | 'jpeg-baseline'
  | 'jpeg-extended'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg2000'
  | 'htj2k';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  lossless: boolean;
  littleEndian: boolean;
  deflated?: boolean;
  /** Known to the standard but not decodable here (shown in the error). */
  unsupported?: string;
}

const TABLE: TransferSyntaxInfo[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', encoding: 'native', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoding: 'native', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', encoding: 'native', lossless: true, littleEndian: true, deflated: true },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian', encoding: 'native', lossless: true, littleEndian: false },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoding: 'rle', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', encoding: 'jpeg-baseline', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', encoding: 'jpeg-extended', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.52', name: 'JPEG Extended (Process 3 & 5) (retired)', encoding: 'jpeg-extended', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.53', name: 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (retired)', encoding: 'jpeg-extended', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.54', name: 'JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9) (retired)', encoding: 'jpeg-extended', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.55', name: 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (retired)', encoding: 'jpeg-extended', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.56', name: 'JPEG Full Progression, Non-Hierarchical (Process 11 & 13) (retired)', encoding: 'jpeg-extended', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encoding: 'jpeg-lossless', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.58', name: 'JPEG Lossless, Non-Hierarchical (Process 15) (retired)', encoding: 'jpeg-lossless', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])', encoding: 'jpeg-lossless', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoding: 'jpeg-ls', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Lossy (Near-Lossless)', encoding: 'jpeg-ls', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Image Compression (Lossless Only)', encoding: 'jpeg2000', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000 Image Compression', encoding: 'jpeg2000', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.92', name: 'JPEG 2000 Part 2 Multi-component (Lossless Only)', encoding: 'jpeg2000', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.93', name: 'JPEG 2000 Part 2 Multi-component', encoding: 'jpeg2000', lossless: false, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.100', name: 'MPEG2 Main Profile / Main Level', encoding: 'native', lossless: false, littleEndian: true, unsupported: 'video' },
  { uid: '1.2.840.10008.1.2.4.101', name: 'MPEG2 Main Profile / High Level', encoding: 'native', lossless: false, littleEndian: true, unsupported: 'video' },
  { uid: '1.2.840.10008.1.2.4.102', name: 'MPEG-4 AVC/H.264 High Profile / Level 4.1', encoding: 'native', lossless: false, littleEndian: true, unsupported: 'video' },
  { uid: '1.2.840.10008.1.2.4.103', name: 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', encoding: 'native', lossless: false, littleEndian: true, unsupported: 'video' },
  { uid: '1.2.840.10008.1.2.4.201', name: 'High-Throughput JPEG 2000 (Lossless Only)', encoding: 'htj2k', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.202', name: 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)', encoding: 'htj2k', lossless: true, littleEndian: true },
  { uid: '1.2.840.10008.1.2.4.203', name: 'High-Throughput JPEG 2000', encoding: 'htj2k', lossless: false, littleEndian: true },
];

const BY_UID = new Map(TABLE.map((t) => [t.uid, t]));

export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(uid.replace(/\0/g, '').trim());
}
