import { HousingType, Layout, UnitStatus } from '../housing-codes';
import { BuildingRow, ProjectRow } from './projects.repository';
import { BuildingDto, ProjectDto, UnitDto, UnitStatusChangeDto } from './stock.dto';
import { HistoryRow, UnitRow } from './units.repository';

export function toProjectDto(r: ProjectRow): ProjectDto {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name ?? r.region_code,
    address: r.address,
    operatorName: r.operator_name,
    buildingCount: r.building_count,
    unitCount: r.unit_count,
    createdAt: r.created_at.toISOString(),
  };
}

export function toBuildingDto(r: BuildingRow): BuildingDto {
  return { id: r.id, projectId: r.project_id, number: r.number, floors: r.floors, unitCount: r.unit_count };
}

export function toUnitDto(r: UnitRow): UnitDto {
  return {
    id: r.id,
    assetNo: r.asset_no,
    projectId: r.project_id,
    projectCode: r.project_code,
    projectName: r.project_name,
    buildingId: r.building_id,
    buildingNumber: r.building_number,
    regionCode: r.region_code,
    regionName: r.region_name ?? r.region_code,
    housingType: r.housing_type,
    entrance: r.entrance,
    floor: r.floor,
    roomNo: r.room_no,
    layout: r.layout,
    buildingArea: Number(r.building_area),
    usableArea: Number(r.usable_area),
    hasElevator: r.has_elevator,
    accessible: r.accessible,
    status: r.status,
    statusSince: r.status_since.toISOString(),
    labels: { housingType: HousingType.labels[r.housing_type], layout: Layout.labels[r.layout], status: UnitStatus.labels[r.status] },
    currentTenancy: r.t_id ? { id: r.t_id, householdId: r.t_household_id!, householdNo: r.t_household_no!, startDate: r.t_start!, endDate: r.t_end! } : null,
  };
}

export function toStatusChangeDto(r: HistoryRow): UnitStatusChangeDto {
  return { fromStatus: r.from_status, toStatus: r.to_status, reason: r.reason, source: r.source, changedBy: r.changed_by, changedAt: r.changed_at.toISOString() };
}
