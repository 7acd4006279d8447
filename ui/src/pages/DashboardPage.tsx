import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { enc } from '../api';
import {
  type Bar as BarDatum,
  byLastSeen,
  bySeverity,
  complianceByCategory,
  type PassFail,
  readNdjson,
  topCves,
} from '../charts';
import { href } from '../route';
import type { Connection } from '../types';
import { Empty, Loading, Section, when } from '../widgets';

interface Figures {
  severity: BarDatum[];
  lastSeen: BarDatum[];
  compliance: PassFail[];
  top: BarDatum[];
  endpoints: number;
  findings: number;
}

/** The connection at a glance: health tiles and four charts of the synced data. */
export function DashboardPage({
  connection,
  connections,
}: {
  connection: string;
  connections: Connection[];
}) {
  const current = connections.find((c) => c.name === connection);
  const [figures, setFigures] = useState<Figures>();
  const [failed, setFailed] = useState<string>();
  useEffect(() => {
    const base = `/v1/connections/${enc(connection)}`;
    let live = true;
    Promise.all(
      ['assets', 'vulnerabilities', 'compliance'].map((s) => readNdjson(`${base}/${s}?format=ndjson`)),
    )
      .then(([assets = [], vulns = [], compliance = []]) => {
        if (!live) return;
        setFigures({
          severity: bySeverity(vulns),
          lastSeen: byLastSeen(assets, Date.now()),
          compliance: complianceByCategory(compliance).slice(0, 8),
          top: topCves(vulns),
          endpoints: assets.length,
          findings: vulns.length,
        });
      })
      .catch((e: unknown) => live && setFailed(String(e)));
    return () => {
      live = false;
    };
  }, [connection]);
  return (
    <>
      <h1>Dashboard: {connection}</h1>
      <div className="tiles">
        <Tile label="Token days left" value={current?.rotation.daysLeft ?? '—'} />
        <Tile
          label="Last sync"
          value={current?.lastSync ? when(current.lastSync.finishedAt ?? null) : 'never'}
        />
        <Tile label="Endpoints" value={figures ? figures.endpoints.toLocaleString('en-US') : '…'} />
        <Tile label="CVE findings" value={figures ? figures.findings.toLocaleString('en-US') : '…'} />
      </div>
      {failed ? (
        <p role="alert" className="error">
          The charts could not be read ({failed}). Try again after a sync.
        </p>
      ) : null}
      {!figures && !failed ? <Loading what="the charts" /> : null}
      {figures && figures.endpoints === 0 ? (
        <Empty>
          Nothing synced yet: <a href={href('sync', connection)}>run a sync</a>.
        </Empty>
      ) : null}
      {figures && figures.endpoints > 0 ? (
        <div className="charts">
          <Chart title="CVE findings by severity" data={figures.severity} color="#b42318" />
          <Chart title="Endpoints by last seen" data={figures.lastSeen} color="#175cd3" />
          <Section title="Compliance pass/fail by category">
            <div className="chart" role="img" aria-label={describePassFail(figures.compliance)}>
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={figures.compliance} layout="vertical" margin={{ left: 20 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis type="number" />
                  <YAxis type="category" dataKey="category" width={150} tick={{ fontSize: 11 }} />
                  <Tooltip />
                  <Legend />
                  <Bar isAnimationActive={false} dataKey="pass" stackId="s" fill="#067647" name="pass" />
                  <Bar isAnimationActive={false} dataKey="fail" stackId="s" fill="#b42318" name="fail" />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </Section>
          <Chart title="The 10 CVEs on most endpoints" data={figures.top} color="#6941c6" vertical />
        </div>
      ) : null}
    </>
  );
}

function Tile({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="tile">
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
    </div>
  );
}

function Chart({
  title,
  data,
  color,
  vertical,
}: {
  title: string;
  data: BarDatum[];
  color: string;
  vertical?: boolean;
}) {
  return (
    <Section title={title}>
      <div
        className="chart"
        role="img"
        aria-label={`${title}: ${data.map((d) => `${d.label} ${d.value}`).join(', ')}`}
      >
        <ResponsiveContainer width="100%" height={260}>
          {vertical ? (
            <BarChart data={data} layout="vertical" margin={{ left: 20 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Bar isAnimationActive={false} dataKey="value" fill={color} name="endpoints" />
            </BarChart>
          ) : (
            <BarChart data={data}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar isAnimationActive={false} dataKey="value" fill={color} name={title} />
            </BarChart>
          )}
        </ResponsiveContainer>
      </div>
    </Section>
  );
}

function describePassFail(rows: PassFail[]): string {
  return `Compliance by category: ${rows.map((r) => `${r.category} ${r.pass} pass ${r.fail} fail`).join(', ')}`;
}
