import './charts.css';
import './panels.css';

export { default as LineChart, type Series } from './LineChart';
export { default as RocChart } from './RocChart';
export { default as PrChart } from './PrChart';
export { default as ReliabilityChart } from './ReliabilityChart';
export { default as ConfusionMatrix, type ConfusionCell, type ConfusionCounts } from './ConfusionMatrix';
export { default as DataTable } from './DataTable';
export { useFormat, makeFormat } from './format';
