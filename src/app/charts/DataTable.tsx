/** The data behind a chart, for screen readers and anyone who prefers numbers (visually hidden unless shown). */
export interface DataTableProps {
  caption: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  visible?: boolean;
}

export default function DataTable({ caption, columns, rows, visible = false }: DataTableProps) {
  return (
    <table className={visible ? 'chart-table' : 'chart-table visually-hidden'}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
