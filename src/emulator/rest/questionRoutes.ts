import type { FastifyInstance } from 'fastify';
import { objectBody } from '../body.js';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import type { SensorInfo } from '../fleet/index.js';
import { badBody, HttpError } from '../httpError.js';
import { data, idParam, list } from './envelope.js';
import { hashOf, QuestionRun } from './questionRun.js';
import { canonicalText, type ParsedQuestion, parseQuestionText } from './questionText.js';

/**
 * Platform questions: parse, ask, then poll `result_info` and read `result_data` (rows paged with
 * `row_start`/`row_count`), plus saved questions that re-ask their text.
 */
export function questionRoutes(app: FastifyInstance, state: EmulatorState): void {
  const runs = new Map<number, QuestionRun>();
  const saved = new Map<
    number,
    { id: number; name: string; query_text: string; questionId: number; createdMs: number }
  >();

  const sensorNamed = (name: string): SensorInfo => {
    // The catalogue decides what exists (a sensor deleted over REST is gone); questions read the
    // fleet's sensors, so a sensor created over REST cannot be asked yet (docs/emulator.md).
    const listed = state.objects.sensors.byName(name);
    const sensor = listed?.created
      ? undefined
      : state.fleet.sensors().find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!listed || !sensor) throw new HttpError(400, 'SensorNotFound', `no sensor named "${name}"`);
    return sensor;
  };

  /** Checks sensor names, names positional parameters after the sensor's own, and validates regexes. */
  const resolve = (question: ParsedQuestion): ParsedQuestion => {
    const selects = question.selects.map((s) => {
      const sensor = sensorNamed(s.sensor);
      if (s.params.length > sensor.parameters.length) {
        throw badBody(
          `sensor "${sensor.name}" takes ${sensor.parameters.length} parameter(s), got ${s.params.length}`,
        );
      }
      return {
        sensor: sensor.name,
        params: s.params.map((p, k) => ({ name: sensor.parameters[k]!, value: p.value })),
      };
    });
    if (question.condition) {
      sensorNamed(question.condition.sensor);
      if (question.condition.operator === 'matches') {
        try {
          new RegExp(question.condition.value);
        } catch {
          throw badBody(`"${question.condition.value}" is not a valid regular expression`);
        }
      }
    }
    return { ...question, selects };
  };

  const ask = (question: ParsedQuestion, expireSeconds = 600): QuestionRun => {
    const resolved = resolve(question);
    const now = state.now();
    const run = new QuestionRun(
      state.allocateId(),
      resolved,
      canonicalText(resolved),
      now,
      expireSeconds,
      state.fleet.view(now),
    );
    runs.set(run.id, run);
    return run;
  };

  const findRun = (raw: string): QuestionRun => {
    const run = runs.get(idParam(raw, 'QuestionNotFound', 'question'));
    if (!run) throw new HttpError(404, 'QuestionNotFound', `no question with id ${raw}`);
    return run;
  };

  const questionView = (run: QuestionRun) => ({
    id: run.id,
    query_text: run.queryText,
    expire_seconds: run.expireSeconds,
    expiration: taniumTime(run.askedMs + run.expireSeconds * 1000),
    is_expired: state.now() > run.askedMs + run.expireSeconds * 1000,
    selects: run.question.selects.map((s) => ({ sensor: { name: s.sensor, hash: hashOf(s.sensor) } })),
  });

  const resultInfo = (run: QuestionRun, poll: boolean) => {
    const tested = poll ? run.poll() : run.tested();
    const rows = run.rows();
    return {
      id: run.id,
      question_id: run.id,
      saved_question_id: 0,
      archived_question_id: 0,
      age: 0,
      expire_seconds: run.expireSeconds,
      issue_seconds: 0,
      seconds_since_issued: Math.floor((state.now() - run.askedMs) / 1000),
      estimated_total: run.estimatedTotal,
      tested,
      passed: tested,
      mr_tested: tested,
      mr_passed: tested,
      row_count: rows.length,
      row_count_machines: rows.reduce((n, r) => n + Number(r.data.at(-1)?.[0]?.text ?? 0), 0),
      no_results_count: 0,
      error_count: 0,
      report_count: tested,
      select_count: run.question.selects.length,
    };
  };

  const now = () => new Date(state.now()).toUTCString().replace('GMT', 'GMT-0000');

  app.post('/api/v2/parse_question', async (request) => {
    const body = objectBody(request.body, false);
    if (typeof body['text'] !== 'string' || body['text'].trim() === '')
      throw badBody('send {"text": "<question>"}');
    let parsed: ParsedQuestion;
    try {
      parsed = resolve(parseQuestionText(body['text']));
    } catch {
      return data([]);
    }
    const text = canonicalText(parsed);
    return data([
      {
        question_text: text,
        from_canonical_text: 1,
        selects: parsed.selects.map((s) => ({ sensor: { name: s.sensor, hash: hashOf(s.sensor) } })),
        sensor_references: parsed.selects.map((s) => ({
          name: s.sensor,
          start_char: String(text.indexOf(s.sensor)),
          real_ms_avg: 0,
        })),
      },
    ]);
  });

  app.post('/api/v2/questions', async (request) => {
    const body = objectBody(request.body, false);
    const expire = body['expire_seconds'];
    if (expire !== undefined && (typeof expire !== 'number' || !Number.isInteger(expire) || expire < 1)) {
      throw badBody('field "expire_seconds" must be a whole number of seconds, at least 1');
    }
    return data({ id: ask(questionFromBody(body), expire as number | undefined).id });
  });

  app.get('/api/v2/questions', async () => list([...runs.values()].map(questionView), state.now()));
  app.get<{ Params: { id: string } }>('/api/v2/questions/:id', async (request) =>
    data(questionView(findRun(request.params.id))),
  );

  app.get<{ Params: { id: string } }>('/api/v2/result_info/question/:id', async (request) =>
    data({
      now: now(),
      max_available_age: '0',
      result_infos: [resultInfo(findRun(request.params.id), true)],
    }),
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>(
    '/api/v2/result_data/question/:id',
    async (request) => resultData(findRun(request.params.id), request.query),
  );

  const resultData = (run: QuestionRun, query: Record<string, string>) => {
    const info = resultInfo(run, true);
    const start = rowParam(query['row_start'], 'row_start', 0);
    const count = rowParam(query['row_count'], 'row_count', Number.MAX_SAFE_INTEGER);
    const rows = run.rows();
    return data({
      now: now(),
      max_available_age: '0',
      result_sets: [
        {
          ...info,
          cache_id: String(run.id),
          expiration: Math.floor((run.askedMs + run.expireSeconds * 1000) / 1000),
          filtered_row_count: rows.length,
          filtered_row_count_machines: info.row_count_machines,
          item_count: info.row_count_machines,
          columns: run.columns(),
          rows: rows.slice(start, start + count),
        },
      ],
    });
  };

  // Saved questions: a name for a question text; reading results re-asks when the last answer has expired.
  app.get('/api/v2/saved_questions', async () => list([...saved.values()].map(savedView), state.now()));
  app.post('/api/v2/saved_questions', async (request) => {
    const body = objectBody(request.body, false);
    if (typeof body['name'] !== 'string' || body['name'].trim() === '')
      throw badBody('field "name" is required');
    if ([...saved.values()].some((s) => s.name === body['name'])) {
      throw new HttpError(400, 'NotUnique', `a saved question named "${body['name']}" already exists`);
    }
    const questionRef = body['question'] as { id?: unknown } | undefined;
    const run = questionRef?.id !== undefined ? findRun(String(questionRef.id)) : ask(questionFromBody(body));
    const record = {
      id: state.allocateId(),
      name: body['name'],
      query_text: run.queryText,
      questionId: run.id,
      createdMs: state.now(),
    };
    saved.set(record.id, record);
    return data(savedView(record));
  });
  const findSaved = (raw: string) => {
    const record = saved.get(idParam(raw, 'SavedQuestionNotFound', 'saved question'));
    if (!record) throw new HttpError(404, 'SavedQuestionNotFound', `no saved question with id ${raw}`);
    return record;
  };
  app.get<{ Params: { id: string } }>('/api/v2/saved_questions/:id', async (request) =>
    data(savedView(findSaved(request.params.id))),
  );
  app.get<{ Params: { name: string } }>('/api/v2/saved_questions/by-name/:name', async (request) => {
    const record = [...saved.values()].find((s) => s.name === request.params.name);
    if (!record)
      throw new HttpError(404, 'SavedQuestionNotFound', `no saved question named "${request.params.name}"`);
    return data(savedView(record));
  });
  const latestRun = (record: { questionId: number; query_text: string }) => {
    let run = runs.get(record.questionId);
    if (!run || state.now() > run.askedMs + run.expireSeconds * 1000) {
      run = ask(parseQuestionText(record.query_text));
      record.questionId = run.id;
    }
    return run;
  };
  app.get<{ Params: { id: string } }>('/api/v2/result_info/saved_question/:id', async (request) => {
    const record = findSaved(request.params.id);
    const info = resultInfo(latestRun(record), true);
    return data({
      now: now(),
      max_available_age: '0',
      result_infos: [{ ...info, saved_question_id: record.id }],
    });
  });
  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>(
    '/api/v2/result_data/saved_question/:id',
    async (request) => resultData(latestRun(findSaved(request.params.id)), request.query),
  );

  function savedView(record: {
    id: number;
    name: string;
    query_text: string;
    questionId: number;
    createdMs: number;
  }) {
    return {
      id: record.id,
      name: record.name,
      query_text: record.query_text,
      question: { id: record.questionId },
      most_recent_question_id: record.questionId,
      expire_seconds: 600,
      issue_seconds: 120,
      mod_time: taniumTime(record.createdMs),
    };
  }
}

function questionFromBody(body: Record<string, unknown>): ParsedQuestion {
  if (typeof body['query_text'] === 'string') return parseQuestionText(body['query_text']);
  const selects = body['selects'];
  if (Array.isArray(selects) && selects.length > 0) {
    return {
      selects: selects.map((s, k) => {
        const sensor = (s as { sensor?: { name?: unknown; parameters?: unknown } })?.sensor;
        if (typeof sensor?.name !== 'string')
          throw badBody(`selects[${k}].sensor.name must be a sensor name`);
        const parameters = Array.isArray(sensor.parameters) ? sensor.parameters : [];
        return {
          sensor: sensor.name,
          params: parameters.map((p) => ({
            name: String((p as { key?: unknown }).key ?? ''),
            value: String((p as { value?: unknown }).value ?? ''),
          })),
        };
      }),
    };
  }
  throw badBody(
    'send {"query_text": "Get <sensor> from all machines"} or {"selects": [{"sensor": {"name": …}}]}',
  );
}

function rowParam(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw badBody(`${name} must be a whole number, 0 or more`);
  return Number(raw);
}
