import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The official working-day calendar (工作日): one notice per year and scope (the State Council's
 * national arrangement, or a region's overlay such as 凉山's 彝族年 and 火把节), each version
 * entered by one user and confirmed by another; its days are holidays (rest), make-up working
 * days (调休上班) and one-off closures (rest). Only the confirmed version of a (year, scope) counts.
 * Deadlines that were computed while a year was missing are tracked so they can be recomputed.
 */
export class CreateCalendar1764400000000 implements MigrationInterface {
  name = 'CreateCalendar1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_notices (
        id              bigserial PRIMARY KEY,
        year            integer NOT NULL,
        -- NULL: the national calendar; otherwise the region the overlay covers, with its subtree
        region_code     text,
        version         integer NOT NULL,
        source_document text NOT NULL,
        title           text,
        note            text,
        status          text NOT NULL DEFAULT 'pending',
        entered_by      text NOT NULL,
        entered_at      timestamptz NOT NULL DEFAULT now(),
        confirmed_by    text,
        confirmed_at    timestamptz,
        superseded_at   timestamptz,
        CONSTRAINT calendar_notices_year_check CHECK (year BETWEEN 1992 AND 2199),
        CONSTRAINT calendar_notices_status_check CHECK (status IN ('pending', 'confirmed', 'superseded', 'withdrawn')),
        CONSTRAINT calendar_notices_four_eyes_check CHECK (confirmed_by IS NULL OR confirmed_by <> entered_by),
        CONSTRAINT calendar_notices_confirmation_check CHECK ((status IN ('confirmed', 'superseded')) = (confirmed_by IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX calendar_notices_scope_version_key ON calendar_notices (year, COALESCE(region_code, ''), version)`);
    // at most one version in force and one awaiting confirmation per (year, scope)
    await q.query(`CREATE UNIQUE INDEX calendar_notices_confirmed_key ON calendar_notices (year, COALESCE(region_code, '')) WHERE status = 'confirmed'`);
    await q.query(`CREATE UNIQUE INDEX calendar_notices_pending_key ON calendar_notices (year, COALESCE(region_code, '')) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE calendar_days (
        id              bigserial PRIMARY KEY,
        notice_id       bigint NOT NULL REFERENCES calendar_notices (id) ON DELETE CASCADE,
        day             date NOT NULL,
        region_code     text,
        kind            text NOT NULL,
        name            text NOT NULL,
        -- copied from the notice so each entry answers "says who" on its own
        source_document text NOT NULL,
        version         integer NOT NULL,
        entered_by      text NOT NULL,
        confirmed_by    text,
        CONSTRAINT calendar_days_kind_check CHECK (kind IN ('holiday', 'workday', 'closure')),
        CONSTRAINT calendar_days_four_eyes_check CHECK (confirmed_by IS NULL OR confirmed_by <> entered_by),
        CONSTRAINT calendar_days_notice_day_key UNIQUE (notice_id, day)
      )`);
    await q.query(`CREATE INDEX calendar_days_day_idx ON calendar_days (day)`);
    await q.query(`
      CREATE TABLE calendar_deadlines (
        id             bigserial PRIMARY KEY,
        -- what the deadline belongs to, e.g. ('engine-job', '42') or ('user-task', '<uuid>')
        owner_kind     text NOT NULL,
        owner_id       text NOT NULL,
        rule           text NOT NULL,
        start_date     date NOT NULL,
        days           integer NOT NULL,
        region_code    text,
        due_date       date NOT NULL,
        due_at         timestamptz NOT NULL,
        provisional    boolean NOT NULL,
        status         text NOT NULL DEFAULT 'open',
        created_at     timestamptz NOT NULL DEFAULT now(),
        recomputed_at  timestamptz,
        CONSTRAINT calendar_deadlines_rule_check CHECK (rule IN ('working-days', 'calendar-rolling')),
        CONSTRAINT calendar_deadlines_status_check CHECK (status IN ('open', 'closed')),
        CONSTRAINT calendar_deadlines_owner_key UNIQUE (owner_kind, owner_id)
      )`);
    await q.query(`CREATE INDEX calendar_deadlines_provisional_idx ON calendar_deadlines (due_date) WHERE status = 'open' AND provisional`);
    await seedNational(q);
    await seedRegional(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_deadlines`);
    await q.query(`DROP TABLE calendar_days`);
    await q.query(`DROP TABLE calendar_notices`);
  }
}

type Day = [date: string, kind: 'holiday' | 'workday' | 'closure', name: string];

const SEED_ENTERED_BY = 'seed:chinese-days@1.5.7';
const SEED_CONFIRMED_BY = 'seed:migration-review';
// chinese-days abbreviates three names; the State Council's notices use these
const OFFICIAL_NAMES: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };
// document numbers we could check against a published source; the others name the notice only
const DOCUMENT_NUMBERS: Record<number, string> = { 2011: '国办发明电〔2010〕40号', 2017: '国办发明电〔2016〕17号', 2021: '国办发明电〔2020〕27号', 2023: '国办发明电〔2022〕16号' };

async function insertNotice(q: QueryRunner, year: number, region: string | null, doc: string, title: string, note: string, days: Day[], by = SEED_ENTERED_BY, confirmer = SEED_CONFIRMED_BY) {
  const [{ id }] = (await q.query(
    `INSERT INTO calendar_notices (year, region_code, version, source_document, title, note, status, entered_by, confirmed_by, confirmed_at)
     VALUES ($1, $2, 1, $3, $4, $5, 'confirmed', $6, $7, now()) RETURNING id`,
    [year, region, doc, title, note, by, confirmer],
  )) as { id: string }[];
  await q.query(
    `INSERT INTO calendar_days (notice_id, day, region_code, kind, name, source_document, version, entered_by, confirmed_by)
     SELECT $1, d::date, $2, k, n, $3, 1, $4, $5 FROM unnest($6::text[], $7::text[], $8::text[]) AS t(d, k, n)`,
    [id, region, doc, by, confirmer, days.map((d) => d[0]), days.map((d) => d[1]), days.map((d) => d[2])],
  );
}

/**
 * National years 2004–2026 from chinese-days 1.5.7 (exact pin; research/domain.md §4 checked
 * 2024–2026 against the State Council's notices). A 元旦 dated in December belongs to the next
 * year's notice (e.g. 2022-12-31 is in the 2023 arrangement).
 */
async function seedNational(q: QueryRunner): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  const byYear = new Map<number, Day[]>();
  const add = (date: string, kind: Day[1], value: string) => {
    const name = value.split(',')[1];
    const year = Number(date.slice(0, 4)) + (name === '元旦' && date.slice(5, 7) === '12' ? 1 : 0);
    if (!byYear.has(year)) byYear.set(year, []);
    byYear.get(year)!.push([date, kind, OFFICIAL_NAMES[name] ?? name]);
  };
  for (const [date, value] of Object.entries(data.holidays)) add(date, 'holiday', value);
  for (const [date, value] of Object.entries(data.workdays)) add(date, 'workday', value);
  for (const [year, days] of [...byYear].sort((a, b) => a[0] - b[0])) {
    const title = `国务院办公厅关于${year}年部分节假日安排的通知`;
    await insertNotice(q, year, null, DOCUMENT_NUMBERS[year] ?? title, title, 'seeded from chinese-days 1.5.7', days);
  }
}

/**
 * 凉山 (513400) overlays whose full arrangement, make-up working days included, was published:
 * only the days that differ from the national calendar. 2023 from 凉府办函〔2022〕121号 as
 * reprinted; 2025's 彝历新年 as reported in the press (document number not seen: verify). Other
 * years and 阿坝 (513200) / 甘孜 (513300) 藏历新年 are entered through the API once their
 * notices are in hand: a partial arrangement (rest days without their make-up days) would be wrong.
 */
async function seedRegional(q: QueryRunner): Promise<void> {
  const range = (from: string, to: string, kind: Day[1], name: string): Day[] => {
    const out: Day[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push([d.toISOString().slice(0, 10), kind, name]);
    return out;
  };
  const by = 'seed:calendar-migration';
  await insertNotice(q, 2023, '513400', '凉府办函〔2022〕121号', '凉山州人民政府办公室关于2023年部分节假日安排的通知', 'regional differences from the national arrangement', [
    ['2023-08-06', 'workday', '火把节'],
    ['2023-08-09', 'holiday', '民族团结进步节'],
    ...range('2023-08-10', '2023-08-16', 'holiday', '火把节'),
    ['2023-08-19', 'workday', '火把节'],
    // 中秋节、国庆节、州庆 9-29 to 10-07: 10-07 (a national make-up Saturday) is a rest day here
    ['2023-10-07', 'holiday', '州庆'],
    ['2023-11-18', 'workday', '彝历新年'],
    ['2023-11-19', 'workday', '彝历新年'],
    ...range('2023-11-20', '2023-11-26', 'holiday', '彝历新年'),
  ], by);
  await insertNotice(q, 2025, '513400', '凉山州人民政府办公室关于2025年部分节假日安排的通知', '凉山州人民政府办公室关于2025年部分节假日安排的通知（彝历新年部分）', '彝历新年 only, as reported in the press; document number not verified', [
    ['2025-11-16', 'workday', '彝历新年'],
    ...range('2025-11-20', '2025-11-26', 'holiday', '彝历新年'),
    ['2025-11-29', 'workday', '彝历新年'],
  ], by);
}
