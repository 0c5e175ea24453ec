export { buildReport, type ReportOptions } from './build-report.js'
export { type DashboardOptions, dashboard } from './dashboard.js'
export { duckDbColumns } from './loaders/duckdb-columns.js'
export { parseTime, timeRange } from './time-range.js'
