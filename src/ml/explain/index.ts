export { gradCam, upsampleHeatmap, heatmapOnImage, type Heatmap } from './gradcam';
export { regionName, zoneWeights, type Side, type Zone } from './regions';
export { splitAt, type SplitModel } from './split';
