/**
 * Days in a month of the proleptic Gregorian calendar (`month` 1 to 12), for checking that a written date is on the
 * calendar: `Date` rolls 2026-02-30 over to 2 March rather than refuse it. By `setUTCFullYear`, since `Date.UTC`
 * reads years 0 to 99 as 1900 to 1999 (year 0 is a leap year, 1900 is not).
 */
export const daysInMonth = (year: number, month: number): number =>
  new Date(new Date(0).setUTCFullYear(year, month, 0)).getUTCDate()
