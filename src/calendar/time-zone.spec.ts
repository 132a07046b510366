import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The rules under other server time zones. Jest gives each test file its own copy of
 * process.env, so setting TZ inside a test changes nothing: this spec compiles the two pure
 * modules and runs them in child processes started with TZ set.
 */
const ROOT = join(__dirname, '../..');
const CHILD = `
const cd = require('chinese-days');
const { toCalendarDate, endOfDay, weekday } = require('./calendar-date.js');
const { CalendarSnapshot, addWorkingDays, addCalendarDaysRolling } = require('./working-days.js');
const data = require('chinese-days/dist/chinese-days.json');
const entries = [
  ...Object.entries(data.holidays).map(([date, v]) => ({ date, kind: 'holiday', name: v.split(',')[1], regionCode: null })),
  ...Object.entries(data.workdays).map(([date, v]) => ({ date, kind: 'workday', name: v.split(',')[1], regionCode: null })),
];
const cal = new CalendarSnapshot(entries, Array.from({ length: 23 }, (_, i) => 2004 + i));
const instant = new Date('2026-10-01T00:30:00+08:00');
const out = {
  shanghaiDate: toCalendarDate(instant),
  fromUtcText: toCalendarDate('2026-09-30T16:30:00Z'),
  endOfDay: endOfDay('2026-10-12').instant.toISOString(),
  weekday: weekday('2026-10-10'),
  workingDays: addWorkingDays(cal, '2026-09-24', 7).due,
  rolling: addCalendarDaysRolling(cal, '2026-09-24', 7).due,
  instantIsWorking: cal.isWorkingDay(toCalendarDate(instant)),
  chineseDaysIsWorkday: cd.isWorkday(instant),
  mismatches: [],
  compared: 0,
};
if (process.argv.includes('--cross-check')) {
  for (let d = new Date('2024-01-01T00:00:00Z'); d < new Date('2026-12-01T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    for (const n of [1, 3, 7, 15, 20]) {
      const ours = addWorkingDays(cal, day, n).due;
      if (ours > '2026-12-31') continue;
      out.compared++;
      const theirs = cd.findWorkday(n, day);
      if (ours !== theirs) out.mismatches.push([day, n, ours, theirs]);
    }
  }
}
process.stdout.write(JSON.stringify(out));
`;

describe('working days whatever the server time zone', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anju-calendar-'));
    for (const name of ['calendar-date', 'working-days']) {
      const source = readFileSync(join(__dirname, `${name}.ts`), 'utf8');
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      writeFileSync(join(dir, `${name}.js`), js);
    }
    writeFileSync(join(dir, 'child.js'), CHILD);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(zone: string, ...args: string[]) {
    const res = spawnSync(process.execPath, [join(dir, 'child.js'), ...args], {
      env: { PATH: process.env.PATH, TZ: zone, NODE_PATH: join(ROOT, 'node_modules') },
      encoding: 'utf8',
      timeout: 60000,
    });
    if (res.status !== 0) throw new Error(`child under TZ=${zone} failed: ${res.stderr}`);
    return JSON.parse(res.stdout);
  }

  it.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai'])('reads dates on the Shanghai calendar with TZ=%s', (zone) => {
    expect(run(zone)).toMatchObject({
      shanghaiDate: '2026-10-01',
      fromUtcText: '2026-10-01',
      endOfDay: '2026-10-12T15:59:59.999Z',
      weekday: 6,
      workingDays: '2026-10-12',
      rolling: '2026-10-08',
      instantIsWorking: false,
    });
  });

  it('shows the chinese-days pitfall we avoid: with TZ=UTC it reads 00:30 on National Day as 30 September', () => {
    expect(run('UTC').chineseDaysIsWorkday).toBe(true);
    expect(run('Asia/Shanghai').chineseDaysIsWorkday).toBe(false);
  });

  it('agrees with chinese-days.findWorkday (run in Shanghai, where it is right) for every start in 2024–2026', () => {
    const out = run('Asia/Shanghai', '--cross-check');
    expect(out.compared).toBeGreaterThan(5000);
    expect(out.mismatches).toEqual([]);
  });
});
