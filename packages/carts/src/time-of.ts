/**
 * `Date.parse` that remembers its last answer: the lines of one batch share their timestamp string more often than
 * not. One per detector.
 */
export function createTimeOf(): (stamp: string) => number {
  let lastStamp = ''
  let lastTime = Number.NaN
  return (stamp) => {
    if (stamp !== lastStamp) {
      lastStamp = stamp
      lastTime = Date.parse(stamp)
    }
    return lastTime
  }
}
