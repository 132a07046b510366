import ExcelJS from 'exceljs';
import request from 'supertest';
import { TestApp } from '../support/app';

export type Header = { Authorization: string };

/** Collects a binary response body (supertest leaves XLSX unparsed otherwise): `.buffer(true).parse(binary)`. */
export const binary = ((res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];

export async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb;
}

/** A sheet's rows as arrays of cell values (row 1 the header). */
export function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

export async function createProject(t: TestApp, as: Header, code: string, regionCode: string, name = `${code} 公租房小区`): Promise<string> {
  const res = await request(t.http).post('/api/housing/projects').set(as).send({ code, name, regionCode }).expect(201);
  return res.body.id;
}

export async function createBuilding(t: TestApp, as: Header, projectId: string, number: string, floors?: number): Promise<string> {
  const res = await request(t.http).post(`/api/housing/projects/${projectId}/buildings`).set(as).send({ number, floors }).expect(201);
  return res.body.id;
}

export function unitBody(buildingId: string, assetNo: string, extra: Record<string, unknown> = {}) {
  return {
    buildingId,
    housingType: 'prh_government',
    floor: 3,
    roomNo: assetNo.slice(-4),
    layout: 'one_bedroom',
    buildingArea: 45.5,
    usableArea: 36.2,
    hasElevator: true,
    assetNo,
    ...extra,
  };
}

export async function createUnit(t: TestApp, as: Header, buildingId: string, assetNo: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await request(t.http).post('/api/housing/units').set(as).send(unitBody(buildingId, assetNo, extra)).expect(201);
  return res.body.id;
}

/** Fills in the GB 11643 check character of 17 digits. */
export function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

export async function createHousehold(t: TestApp, as: Header, body: Record<string, unknown>): Promise<{ id: string; householdNo: string }> {
  const res = await request(t.http).post('/api/housing/households').set(as).send(body).expect(201);
  return res.body;
}
