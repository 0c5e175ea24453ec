export { buildReport, type ReportOptions } from './build-report.js'
export { dashboard, type DashboardOptions } from './dashboard.js'
export { parseTime, timeRange } from './time-range.js'
export { duckDbColumns } from './loaders/duckdb-columns.js'
