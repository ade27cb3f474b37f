import { describe, expect, it } from 'vitest';
import { crossValidationWarning, patientFolds, rowFolds, summarizeFolds, trainingRowFolds, CV_CI_WIDTH_LIMIT } from './crossval';

const item = (file: string, label: string, patient: string, sha256 = file) => ({ file, label, patient, sha256 });

describe('patientFolds', () => {
  const items = Array.from({ length: 60 }, (_, i) => item(`f${i}.png`, Math.floor(i / 2) % 3 ? 'NEG' : 'POS', `p${Math.floor(i / 2)}`));
  it('keeps a patient and identical bytes in one fold, gives every fold both classes, and is deterministic', () => {
    const withDup = [...items, item('copy.png', 'NEG', 'other', 'f8.png')];
    const { fold, k } = patientFolds(withDup, 5)!;
    expect(k).toBe(5);
    for (let i = 0; i < 60; i += 2) expect(fold[i]).toBe(fold[i + 1]);
    expect(fold[60]).toBe(fold[8]);
    for (let f = 0; f < 5; f++) expect(new Set(withDup.filter((_, i) => fold[i] === f).map((x) => x.label))).toEqual(new Set(['POS', 'NEG']));
    expect(Array.from(patientFolds(withDup, 5)!.fold)).toEqual(Array.from(fold));
  });
  it('uses fewer folds when a class has fewer patients, and none with one', () => {
    const few = [...items.filter((x) => x.label === 'NEG'), item('a', 'POS', 'x'), item('b', 'POS', 'y'), item('c', 'POS', 'z')];
    expect(patientFolds(few, 5)!.k).toBe(3);
    expect(patientFolds([...items.filter((x) => x.label === 'NEG'), item('a', 'POS', 'x')], 5)).toBeNull();
  });
  it('lays views out behind the plain rows with the same folds, scoring only plain rows', () => {
    const r = trainingRowFolds(items, items.length * 3)!;
    expect(r.fold.length).toBe(180);
    expect(Array.from(r.fold.subarray(120))).toEqual(Array.from(r.fold.subarray(0, 60)));
    expect(r.scored.reduce((a, b) => a + b, 0)).toBe(60);
  });
});

describe('summarizeFolds', () => {
  const labels = Array.from({ length: 40 }, (_, i) => i % 2);
  const folds = rowFolds(Int32Array.from(labels, (_, i) => Math.floor(i / 10)), 4, 1);
  it('perfect folds: mean 1, no warning', () => {
    const cv = summarizeFolds(Float32Array.from(labels), labels, folds, 'test');
    expect(cv.aucs).toEqual([1, 1, 1, 1]);
    expect(cv.tooSmall).toBe(false);
    expect(crossValidationWarning(cv)).toBeUndefined();
  });
  it('folds that disagree give a wide t-interval and the too-small warning', () => {
    // Fold 0 and 1 perfect, folds 2 and 3 inverted.
    const scores = Float32Array.from(labels, (y, i) => (i < 20 ? y : 1 - y));
    const cv = summarizeFolds(scores, labels, folds, 'test');
    expect(cv.mean).toBeCloseTo(0.5);
    expect(cv.ci95[1] - cv.ci95[0]).toBeGreaterThan(CV_CI_WIDTH_LIMIT);
    expect(crossValidationWarning(cv)!.message).toMatch(/^The validation set is too small to trust/);
    expect(crossValidationWarning(cv)!.code).toBe('validation-too-small');
  });
});
