import type { ImagingBenchCase } from './imaging';
import type { Measurement } from './measurement';

/** results.md: one readable table per section, in the order the bench ran them. */

const TITLES: Record<Measurement['section'], string> = {
  node: 'Node (tfjs cpu / wasm, bundled model)',
  chromium: 'Headless Chromium (built app, one backend forced per run)',
  imaging: 'Imaging: decode + normalize in Node (median of 3 after a warm-up)',
  training: 'Training (head on frozen features, 500 Kermany images)',
  memory: 'Memory (tf.memory().numTensors in Node)',
  serve: 'Model service (`npm run serve`, loopback, one process, DICOM bodies)',
  engines: 'Engines: tfjs vs ONNX Runtime Web in one headless Chromium run (see the rows table)',
  bundle: 'Bundle and model sizes (built app, gzip level 9)',
  reliability: 'Reliability: a batch of 1,000 dropped at once and a 2,000-image soak on the Classify page (headless Chromium, wasm)',
  ct: 'CT transfer check: head mode on COVID-CT train, evaluated on its official val split (Node, CLI defaults)',
};

function cell(m: Measurement): string {
  if (m.value === null) return '—';
  if (m.unit === 'bool') return m.value ? 'yes' : '**NO**';
  if (m.unit === 'auc' || m.unit === 'tensors' || m.unit === 'images' || m.unit === 'count' || m.unit === 'ratio') return String(m.value);
  return `${m.value} ${m.unit}`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownReport(measurements: Measurement[], env: Record<string, string>, rowsTable = ''): string {
  const lines = ['# RadLens benchmark', '', ...Object.entries(env).map(([k, v]) => `- ${k}: ${v}`), ''];
  if (rowsTable) lines.push(rowsTable);
  const sections = [...new Set(measurements.map((m) => m.section))];
  for (const section of sections) {
    lines.push(`## ${TITLES[section]}`, '', '| measurement | backend | value | n | note |', '| --- | --- | ---: | ---: | --- |');
    for (const m of measurements.filter((x) => x.section === section))
      lines.push(`| ${escape(m.name)} | ${m.backend ?? ''} | ${cell(m)} | ${m.n ?? ''} | ${escape(m.note ?? '')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** H2's imaging cases as measurements (decode, normalize, total per case). */
export function imagingMeasurements(cases: ImagingBenchCase[]): Measurement[] {
  return cases.flatMap((c) =>
    (['decode', 'normalize', 'total'] as const).map((part) => ({
      section: 'imaging' as const,
      name: `${c.name}: ${part}`,
      value: c.ms[part],
      unit: 'ms' as const,
      note: part === 'total' ? c.detail : undefined,
    })),
  );
}
