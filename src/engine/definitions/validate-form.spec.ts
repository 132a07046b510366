import { checkExpression, classifyExpression } from '../expressions';
import { compileFeel } from '../expressions/feel-compiler';
import { validateForm } from './validate-form';

const opts = {
  checkExpression: (text: string) => checkExpression(text),
  expressionVariables: (text: string) => [...compileFeel(classifyExpression(text).body).params],
};
const form = (components: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ id: 'review-form', type: 'default', components, ...extra });
const problems = (text: string) => {
  const r = validateForm(text, opts);
  return 'errors' in r ? r.errors : [];
};
const codes = (text: string) => problems(text).map((p) => `${p.elementId ?? ''}:${p.code}`);

describe('validateForm (deploy-time check of a form-js schema)', () => {
  it('accepts a form and reads its id, a content hash and the variables it reads', () => {
    const r = validateForm(
      form([
        { type: 'textfield', id: 'F1', key: 'applicant.name', label: '姓名' },
        { type: 'select', id: 'F2', key: 'street', label: '街道', valuesKey: 'streetOptions' },
        { type: 'number', id: 'F3', key: 'days', validate: { max: '=maxDays' }, conditional: { hide: '=not(needsDays)' } },
        { type: 'dynamiclist', id: 'L', path: 'members', components: [{ type: 'textfield', id: 'F4', key: 'name', conditional: { hide: '=this.age > 18' } }] },
      ]),
      opts,
    );
    expect('form' in r && r.form).toMatchObject({ formId: 'review-form', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), variables: ['applicant', 'days', 'maxDays', 'members', 'needsDays', 'street', 'streetOptions'] });
  });

  it('hashes the parsed JSON, so reformatting a file is not a change', () => {
    const a = validateForm(form([{ type: 'textfield', key: 'x' }]), opts);
    const b = validateForm(JSON.stringify(JSON.parse(form([{ type: 'textfield', key: 'x' }])), null, 2), opts);
    expect('form' in a && 'form' in b && a.form.sha256 === b.form.sha256).toBe(true);
  });

  it('refuses text that is not a JSON object, and a form without an id or components', () => {
    expect(codes('这不是 JSON')).toEqual([':FORM_NOT_JSON']);
    expect(codes('[1, 2]')).toEqual([':FORM_NOT_JSON']);
    expect(codes(JSON.stringify({ type: 'default', components: [] }))).toEqual([':FORM_ID_MISSING']);
    expect(codes(JSON.stringify({ id: 'a b', components: [] }))).toEqual([':FORM_ID_INVALID']);
    expect(codes(JSON.stringify({ id: 'x', type: 'wizard' }))).toEqual([':FORM_TYPE_INVALID', ':FORM_COMPONENTS_MISSING']);
  });

  it('names the component of an unknown or unsupported type', () => {
    const p = problems(form([{ type: 'signature', id: 'Field_Sign', key: 'sign' }, { type: 'filepicker', id: 'Field_File', key: 'file' }]));
    expect(p.map((x) => `${x.elementId}:${x.code}`)).toEqual(['Field_Sign:FORM_COMPONENT_TYPE_UNKNOWN', 'Field_File:FORM_COMPONENT_UNSUPPORTED']);
    expect(p[0].message).toMatch(/unknown component type "signature"/);
  });

  it('refuses missing, invalid, reserved and duplicate keys, also across groups and dotted keys', () => {
    expect(
      codes(
        form([
          { type: 'textfield', id: 'A' },
          { type: 'textfield', id: 'B', key: 'bad key' },
          { type: 'textfield', id: 'C', key: 'content' },
          { type: 'textfield', id: 'D', key: '1st' },
          { type: 'textfield', id: 'E', key: 'opinion' },
          { type: 'textarea', id: 'F', key: 'opinion' },
          { type: 'group', id: 'G', path: 'applicant', components: [{ type: 'textfield', id: 'H', key: 'name' }] },
          { type: 'textfield', id: 'I', key: 'applicant.name' },
          { type: 'textfield', id: 'J', key: 'address' },
          { type: 'textfield', id: 'K', key: 'address.street' },
          { type: 'dynamiclist', id: 'L' },
          { type: 'textfield', id: 'E', key: 'other' },
        ]),
      ),
    ).toEqual([
      'A:FORM_KEY_MISSING',
      'B:FORM_KEY_INVALID',
      'C:FORM_KEY_RESERVED',
      'D:FORM_KEY_INVALID',
      'F:FORM_KEY_DUPLICATE',
      'I:FORM_KEY_DUPLICATE',
      'L:FORM_PATH_MISSING',
      'E:FORM_COMPONENT_ID_DUPLICATE',
      'K:FORM_KEY_DUPLICATE',
    ]);
  });

  it('allows the same key in a dynamic list item and outside it', () => {
    expect(codes(form([{ type: 'textfield', key: 'name' }, { type: 'dynamiclist', path: 'members', components: [{ type: 'textfield', key: 'name' }] }]))).toEqual([]);
  });

  it('refuses bad validate values, naming the field', () => {
    const p = problems(
      form([
        { type: 'number', id: 'N1', key: 'days', label: '时限', validate: { min: 'one' } },
        { type: 'number', id: 'N2', key: 'n2', validate: { min: 10, max: 1 } },
        { type: 'textfield', id: 'T1', key: 't1', validate: { minLength: -1 } },
        { type: 'textfield', id: 'T2', key: 't2', validate: { required: 'yes' } },
        { type: 'textfield', id: 'T3', key: 't3', validate: { validationType: 'idcard' } },
        { type: 'textfield', id: 'T4', key: 't4', validate: { min: 1 } },
        { type: 'textfield', id: 'T5', key: 't5', validate: { requried: true } },
        { type: 'text', id: 'X', text: 'x', validate: { required: true } },
      ]),
    );
    expect(p.map((x) => `${x.elementId}:${x.code}`)).toEqual([
      'N1:FORM_VALIDATE_INVALID',
      'N2:FORM_VALIDATE_INVALID',
      'T1:FORM_VALIDATE_INVALID',
      'T2:FORM_VALIDATE_INVALID',
      'T3:FORM_VALIDATE_INVALID',
      'T4:FORM_VALIDATE_INVALID',
      'T5:FORM_VALIDATE_INVALID',
      'X:FORM_VALIDATE_INVALID',
    ]);
    expect(p[0].message).toBe('"时限" (days): validate.min must be a number or a FEEL expression (=…), not "one"');
  });

  it('refuses a pattern that is not a regular expression', () => {
    const [p] = problems(form([{ type: 'textfield', id: 'Field_Id', key: 'idNumber', validate: { pattern: '^(\\d{17}[\\dX]$' } }]));
    expect(p).toMatchObject({ elementId: 'Field_Id', code: 'FORM_PATTERN_INVALID' });
    expect(p.message).toMatch(/not a valid regular expression/);
  });

  it('refuses choice fields without options, with two sources, or with duplicate option values', () => {
    expect(
      codes(
        form([
          { type: 'select', id: 'S1', key: 's1' },
          { type: 'select', id: 'S2', key: 's2', values: [{ label: 'a', value: 'a' }], valuesKey: 'x' },
          { type: 'radio', id: 'S3', key: 's3', values: [{ label: '通过', value: 'yes' }, { label: '同意', value: 'yes' }] },
          { type: 'checklist', id: 'S4', key: 's4', values: [{ label: '空' }] },
          { type: 'taglist', id: 'S5', key: 's5', valuesExpression: 'options' },
        ]),
      ),
    ).toEqual(['S1:FORM_OPTIONS_INVALID', 'S2:FORM_OPTIONS_INVALID', 'S3:FORM_OPTIONS_INVALID', 'S4:FORM_OPTIONS_INVALID', 'S5:FORM_OPTIONS_INVALID']);
  });

  it('refuses FEEL that does not parse or calls what it may not', () => {
    expect(
      codes(
        form([
          { type: 'textfield', id: 'A', key: 'a', conditional: { hide: '=decision == "reject"' } },
          { type: 'textfield', id: 'B', key: 'b', readonly: '=process.exit(1)' },
          { type: 'textfield', id: 'C', key: 'c', conditional: { hide: 'decision = "x"' } },
          { type: 'textfield', id: 'D', key: 'd', disabled: 'yes' },
        ]),
      ),
    ).toEqual(['A:FORM_EXPRESSION_INVALID', 'B:FORM_EXPRESSION_INVALID', 'C:FORM_EXPRESSION_INVALID', 'D:FORM_COMPONENT_INVALID']);
  });

  it('refuses bad datetime and number settings', () => {
    expect(
      codes(
        form([
          { type: 'datetime', id: 'D1', key: 'd1', subtype: 'week' },
          { type: 'datetime', id: 'D2', key: 'd2', subtype: 'time', timeSerializingFormat: 'local' },
          { type: 'number', id: 'N1', key: 'n1', decimalDigits: 1.5, increment: -1 },
        ]),
      ),
    ).toEqual(['D1:FORM_COMPONENT_INVALID', 'D2:FORM_COMPONENT_INVALID', 'N1:FORM_COMPONENT_INVALID', 'N1:FORM_COMPONENT_INVALID']);
  });

  it('limits size and nesting', () => {
    let nested: unknown = { type: 'textfield', key: 'deep' };
    for (let i = 0; i < 12; i++) nested = { type: 'group', components: [nested] };
    expect(codes(form([nested]))).toEqual([':FORM_TOO_DEEP']);
    const many = Array.from({ length: 2001 }, (_, i) => ({ type: 'textfield', key: `f${i}` }));
    expect(codes(form(many))).toEqual([':FORM_TOO_LARGE']);
    expect(codes(`{"id":"big","components":[],"pad":"${'x'.repeat(1024 * 1024)}"}`)).toEqual([':FORM_TOO_LARGE']);
  });
});
