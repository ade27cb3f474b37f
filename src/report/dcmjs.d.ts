// dcmjs ships without declarations; only what src/report uses is declared, loosely.
declare module 'dcmjs' {
  type Dataset = Record<string, unknown>;
  interface Concept {
    CodeValue: string;
    CodingSchemeDesignator: string;
    CodeMeaning: string;
  }
  type ItemCtor = new (options: Record<string, unknown>) => Dataset;
  const dcmjs: {
    sr: {
      coding: { CodedConcept: new (options: { value: string; schemeDesignator: string; meaning: string }) => Concept };
      valueTypes: {
        ContentSequence: new (...items: Dataset[]) => Dataset[];
        CodeContentItem: ItemCtor;
        TextContentItem: ItemCtor;
        NumContentItem: ItemCtor;
        UIDRefContentItem: ItemCtor;
        ContainerContentItem: ItemCtor;
        ImageContentItem: ItemCtor;
      };
      templates: {
        AlgorithmIdentification: new (options: { name: string; version: string; parameters?: string[] }) => Dataset[];
        LanguageOfContentItemAndDescendants: new (options: Record<string, unknown>) => Dataset[];
        TrackingIdentifier: new (options: { uid: string; identifier?: string }) => Dataset[];
      };
      documents: { Comprehensive3DSR: new (options: Record<string, unknown>) => Dataset };
    };
    data: {
      DicomMetaDictionary: {
        denaturalizeDataset(ds: Dataset): Dataset;
        naturalizeDataset(ds: Dataset): Dataset;
      };
      DicomDict: new (meta: Dataset) => { dict: Dataset; write(options?: Record<string, unknown>): ArrayBuffer };
      DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): { dict: Dataset; meta: Dataset } };
    };
  };
  export default dcmjs;
}
