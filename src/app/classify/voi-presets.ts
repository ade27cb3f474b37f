import type { VoiWindow } from '../../imaging/types';

/** Standard CT windows in HU (centre/width). Only meaningful when the image's units are HU. */
export const VIEWER_PRESETS: (VoiWindow & { name: string })[] = [
  { name: 'lung', center: -600, width: 1500, source: 'preset' },
  { name: 'mediastinum', center: 40, width: 400, source: 'preset' },
  { name: 'bone', center: 480, width: 2500, source: 'preset' },
  { name: 'brain', center: 40, width: 80, source: 'preset' },
  { name: 'abdomen', center: 40, width: 350, source: 'preset' },
];
