import { NotFoundError } from '../common';

export enum RegionErrorCode {
  RegionNotFound = 'REGION_NOT_FOUND',
  RegionGroupNotFound = 'REGION_GROUP_NOT_FOUND',
}

export const regionNotFound = (code: string) => new NotFoundError(RegionErrorCode.RegionNotFound, `No region with code ${code}`, { code });
export const groupNotFound = (code: string) =>
  new NotFoundError(RegionErrorCode.RegionGroupNotFound, `No region group with code ${code}`, { group: code });
