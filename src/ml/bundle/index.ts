export { modelToFiles, WEIGHTS_FILE } from './files';
export { exportBundleZip, importBundleZip, BundleImportError } from './zip';
