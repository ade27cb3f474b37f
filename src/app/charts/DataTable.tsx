/** The data behind a chart, for screen readers and anyone who prefers numbers (visually hidden unless shown). */
export interface DataTableProps {
  caption: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  visible?: boolean;
}

export default function DataTable({ caption, columns, rows, visible = false }: DataTableProps) {
  const table = (
    <table className="chart-table">
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
  // A table sizes itself to its content whatever its width says, so the hiding box wraps it.
  return visible ? table : <div className="visually-hidden">{table}</div>;
}
