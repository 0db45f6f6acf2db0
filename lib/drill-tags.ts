/**
 * Tag keys naming an FIS experiment template's drill and AZ. FailureDrills writes them; the AZ-loss
 * report and `npm run drill --dry-run` read them from the synthesized JSON.
 */
export const DRILL_TAG = "ha-drill";
export const DRILL_AZ_TAG = "ha-drill-az";
