// dcmjs ships no types; the few calls the specs make, typed.
declare module 'dcmjs' {
  type Dataset = Record<string, unknown>;
  class DicomDict {
    constructor(meta: Dataset);
    dict: Dataset;
    write(): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMetaDictionary: { denaturalizeDataset(dataset: Dataset): Dataset };
    };
  };
  export default dcmjs;
}
