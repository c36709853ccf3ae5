import type { SearchFilter } from './client.js';
import type { HubspotSettings } from './schemas.js';

/** The searches a run can need: object type, the date property windows filter and sort on, fixed filters. */
export interface SearchKind {
  key: string;
  objectType: string;
  dateProperty: string;
  extraFilters?: SearchFilter[];
}

export const CALLS: SearchKind = { key: 'calls', objectType: 'calls', dateProperty: 'hs_timestamp' };
export const NOTES: SearchKind = { key: 'notes', objectType: 'notes', dateProperty: 'hs_timestamp' };

/** A filter on one property: EQ for one value (the common case), IN for several. */
function oneOf(propertyName: string, values: readonly string[]): SearchFilter {
  return values.length === 1
    ? { propertyName, operator: 'EQ', value: values[0]! }
    : { propertyName, operator: 'IN', values: [...values].sort() };
}

/** FTAs: meetings of the configured types (every type when none is set), by creation or by start with a held outcome. */
export function meetingSearch(by: 'created' | 'attended', settings: HubspotSettings): SearchKind {
  const types = settings.fta_meeting_types.length > 0 ? [oneOf('hs_activity_type', settings.fta_meeting_types)] : [];
  if (by === 'created') return { key: 'meetings:created', objectType: 'meetings', dateProperty: 'hs_createdate', extraFilters: types };
  return {
    key: 'meetings:attended',
    objectType: 'meetings',
    dateProperty: 'hs_meeting_start_time',
    extraFilters: [oneOf('hs_meeting_outcome', settings.fta_attended_outcomes), ...types],
  };
}
