"""Reads RadLens DICOM SRs back with pydicom (an independent reader) and prints
one JSON object per file: the identity attributes and the TID 1500 content the
tests compare with what was written.

usage: /usr/bin/python3 scripts/sr_readback.py <sr.dcm>...
"""
import json
import sys

import pydicom


def code(seq):
    if not seq:
        return None
    c = seq[0]
    return {"value": c.CodeValue, "scheme": c.CodingSchemeDesignator, "meaning": c.CodeMeaning}


def walk(items, out, depth=0):
    for it in items:
        node = {
            "relationship": getattr(it, "RelationshipType", None),
            "type": it.ValueType,
            "name": code(getattr(it, "ConceptNameCodeSequence", None)),
        }
        if it.ValueType == "NUM":
            mv = it.MeasuredValueSequence[0]
            node["value"] = float(mv.NumericValue)
            node["unit"] = code(mv.MeasurementUnitsCodeSequence)
        elif it.ValueType == "CODE":
            node["value"] = code(it.ConceptCodeSequence)
        elif it.ValueType == "TEXT":
            node["value"] = str(it.TextValue)
        elif it.ValueType == "UIDREF":
            node["value"] = str(it.UID)
        elif it.ValueType == "IMAGE":
            ref = it.ReferencedSOPSequence[0]
            node["value"] = {"sopClass": str(ref.ReferencedSOPClassUID), "sopInstance": str(ref.ReferencedSOPInstanceUID)}
        out.append(node)
        if "ContentSequence" in it:
            node["children"] = []
            walk(it.ContentSequence, node["children"], depth + 1)


def read(path):
    ds = pydicom.dcmread(path)
    evidence = []
    for study in ds.get("CurrentRequestedProcedureEvidenceSequence", []):
        for series in study.ReferencedSeriesSequence:
            for ref in series.ReferencedSOPSequence:
                evidence.append({
                    "study": str(study.StudyInstanceUID),
                    "series": str(series.SeriesInstanceUID),
                    "sopClass": str(ref.ReferencedSOPClassUID),
                    "sopInstance": str(ref.ReferencedSOPInstanceUID),
                })
    content = []
    walk(ds.ContentSequence, content)
    attrs = {}
    for kw in ["PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyDate", "StudyTime",
               "AccessionNumber", "StudyID", "ReferringPhysicianName", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID",
               "Modality", "SeriesNumber", "CompletionFlag", "VerificationFlag", "SpecificCharacterSet"]:
        v = ds.get(kw)
        attrs[kw] = None if v is None else (str(v) if not isinstance(v, pydicom.multival.MultiValue) else [str(x) for x in v])
    return {
        "file": path,
        "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
        "attributes": attrs,
        "root": code(ds.ConceptNameCodeSequence),
        "template": str(ds.ContentTemplateSequence[0].TemplateIdentifier) if "ContentTemplateSequence" in ds else None,
        "evidence": evidence,
        "content": content,
    }


for p in sys.argv[1:]:
    print(json.dumps(read(p)))
