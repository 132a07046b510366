export { RegionsModule } from './regions.module';
export { RegionsService } from './regions.service';
export { RegionErrorCode } from './regions.errors';
export type { RegionDetailDto, RegionDto } from './region.dto';
