import { Injectable } from '@nestjs/common';
import { ListRegionsQuery, RegionDetailDto, RegionDto } from './region.dto';
import { groupNotFound, regionNotFound } from './regions.errors';
import { RegionsRepository } from './regions.repository';

@Injectable()
export class RegionsService {
  constructor(private readonly repo: RegionsRepository) {}

  /** Children of a parent (default: the province itself), or the members of a group, in code order. */
  async list(query: ListRegionsQuery): Promise<RegionDto[]> {
    if (query.group) {
      const members = await this.repo.groupMembers(query.group);
      if (!members) throw groupNotFound(query.group);
      return members;
    }
    if (!query.parent) {
      const root = await this.repo.findWithPath('510000');
      return root ? [root.region] : [];
    }
    const parent = await this.repo.findWithPath(query.parent);
    if (!parent) throw regionNotFound(query.parent);
    return this.repo.children(query.parent, query.includeHistory ?? false);
  }

  /** Code → path from the province down to the code itself, for subtree rules held in memory (the calendar's overlays). */
  allPaths(): Promise<Map<string, string[]>> {
    return this.repo.allPaths();
  }

  async get(code: string): Promise<RegionDetailDto> {
    const found = await this.repo.findWithPath(code);
    if (!found) throw regionNotFound(code);
    const ancestors = await this.repo.currentByCodes(found.path.slice(0, -1));
    return { ...found.region, ancestors };
  }
}
