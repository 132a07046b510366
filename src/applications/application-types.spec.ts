import { APPLICATION_TYPES, MATERIAL_LABELS, REQUIRED_MATERIALS, missingMaterials } from './application-types';

describe('required materials', () => {
  it('names what a type still needs, for a 补正 notice', () => {
    expect(missingMaterials('affordable_rental', ['id_documents', 'commitment_letter'])).toEqual(['housing_statement', 'employment_proof', 'authorisation_letter']);
    expect(missingMaterials('prh_in_kind', REQUIRED_MATERIALS.prh_in_kind)).toEqual([]);
  });

  it('accepts a residence permit instead of the household register', () => {
    expect(missingMaterials('prh_in_kind', ['residence_permit'])).not.toContain('household_register');
  });

  it('labels every required material in Chinese and English', () => {
    for (const t of APPLICATION_TYPES) for (const k of REQUIRED_MATERIALS[t]) expect(MATERIAL_LABELS[k]).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
  });
});
