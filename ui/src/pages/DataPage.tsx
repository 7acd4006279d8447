import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { enc } from '../api';
import { cellText, VIEWS } from '../columns';
import { useGet } from '../hooks';
import { STREAMS, type Stream } from '../types';
import { Empty, ErrorBox, Loading, Scroll, Section } from '../widgets';

type Row = Record<string, unknown>;

/** Synced rows with server-side filter, sort and paging, a detail view per row, and the filtered download. */
export function DataPage({ connection }: { connection: string }) {
  const [stream, setStream] = useState<Stream>('assets');
  return (
    <>
      <h1>Data of {connection}</h1>
      <div role="tablist" aria-label="Streams" className="tabs">
        {STREAMS.map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={s === stream}
            className={s === stream ? '' : 'secondary'}
            onClick={() => setStream(s)}
          >
            {s}
          </button>
        ))}
      </div>
      <StreamTable key={stream} connection={connection} stream={stream} />
    </>
  );
}

function StreamTable({ connection, stream }: { connection: string; stream: Stream }) {
  const view = VIEWS[stream];
  const [q, setQ] = useState('');
  const [choice, setChoice] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [cursors, setCursors] = useState<string[]>([]);
  const [detail, setDetail] = useState<Row>();
  const query = new URLSearchParams();
  if (q) query.set('q', q);
  if (choice && view.filter) query.set(view.filter.param, choice);
  if (sorting[0]) {
    query.set('sort', sorting[0].id);
    if (sorting[0].desc) query.set('order', 'desc');
  }
  const filtered = query.toString();
  const page = new URLSearchParams(query);
  page.set('limit', '25');
  const cursor = cursors.at(-1);
  if (cursor) page.set('cursor', cursor);
  const base = `/v1/connections/${enc(connection)}/${stream}`;
  const rows = useGet<{ rows: Row[]; nextCursor: string | null }>(`${base}?${page}`);
  const columns = useMemo<ColumnDef<Row>[]>(
    () =>
      view.columns.map((name) => ({
        id: name,
        accessorFn: (row) => row[name],
        header: name,
        cell: (info) => cellText(info.getValue()),
        enableSorting: view.sortable.includes(name),
      })),
    [view],
  );
  const table = useReactTable({
    data: rows.data?.rows ?? [],
    columns,
    state: { sorting },
    manualSorting: true,
    manualPagination: true,
    enableMultiSort: false,
    onSortingChange: (next) => {
      setSorting(next);
      setCursors([]);
    },
    sortDescFirst: false,
    getCoreRowModel: getCoreRowModel(),
  });
  const restart = () => setCursors([]);
  return (
    <Section title={`${stream} table`}>
      <search>
        <form className="inline" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="q">Search</label>
          <input
            id="q"
            type="search"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              restart();
            }}
          />
          {view.filter ? (
            <>
              <label htmlFor="choice">{view.filter.label}</label>
              <select
                id="choice"
                value={choice}
                onChange={(e) => {
                  setChoice(e.target.value);
                  restart();
                }}
              >
                <option value="">any</option>
                {view.filter.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </>
          ) : null}
          <a
            className="button secondary"
            href={`${base}?${withFormat(filtered, 'csv')}`}
            download={`${stream}.csv`}
          >
            Download CSV
          </a>
          <a
            className="button secondary"
            href={`${base}?${withFormat(filtered, 'ndjson')}`}
            download={`${stream}.ndjson`}
          >
            Download NDJSON
          </a>
        </form>
      </search>
      <ErrorBox error={rows.error} />
      {rows.loading && !rows.data ? <Loading what={stream} /> : null}
      {rows.data && rows.data.rows.length === 0 ? <Empty>No rows match.</Empty> : null}
      {rows.data && rows.data.rows.length > 0 ? (
        <Scroll label={`${stream} rows`}>
          <table aria-label={`${stream} rows`}>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => {
                    const sorted = header.column.getIsSorted();
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={
                          sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                        }
                      >
                        {header.column.getCanSort() ? (
                          <button
                            type="button"
                            className="link"
                            onClick={header.column.getToggleSortingHandler()}
                          >
                            {flexRender(header.column.columnDef.header, header.getContext())}
                            {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                          </button>
                        ) : (
                          flexRender(header.column.columnDef.header, header.getContext())
                        )}
                      </th>
                    );
                  })}
                  <th scope="col">Detail</th>
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr key={row.id}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                  ))}
                  <td>
                    <button type="button" className="link" onClick={() => setDetail(row.original)}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      ) : null}
      <div className="buttons">
        <button
          type="button"
          className="secondary"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Previous page
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!rows.data?.nextCursor}
          onClick={() => rows.data?.nextCursor && setCursors([...cursors, rows.data.nextCursor])}
        >
          Next page
        </button>
      </div>
      {detail ? <Detail row={detail} onClose={() => setDetail(undefined)} /> : null}
    </Section>
  );
}

function withFormat(query: string, format: string): string {
  const params = new URLSearchParams(query);
  params.set('format', format);
  return params.toString();
}

function Detail({ row, onClose }: { row: Row; onClose: () => void }) {
  return (
    <section className="card detail" aria-label="Row detail">
      <h3>Row detail</h3>
      <dl className="facts">
        {Object.entries(row).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{cellText(v)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose}>
        Close detail
      </button>
    </section>
  );
}
