import type { VoiWindow } from './types';

/** Standard CT windows in HU (centre/width), as radiologists name them. */
export const CT_WINDOW_PRESETS: Readonly<Record<'lung' | 'mediastinum' | 'bone' | 'brain' | 'abdomen', VoiWindow>> = {
  lung: { center: -600, width: 1500, source: 'preset', name: 'lung' },
  mediastinum: { center: 40, width: 400, source: 'preset', name: 'mediastinum' },
  bone: { center: 480, width: 2500, source: 'preset', name: 'bone' },
  brain: { center: 40, width: 80, source: 'preset', name: 'brain' },
  abdomen: { center: 40, width: 350, source: 'preset', name: 'abdomen' },
};

export type CtWindowPresetName = keyof typeof CT_WINDOW_PRESETS;
