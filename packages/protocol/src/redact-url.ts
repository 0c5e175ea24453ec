// Parts of parameter names whose values are secrets or personal data (case-insensitive).
export const secretNames = 'mail|token|pass|pwd|secret|auth|api_?key|code|session|ssn|phone'

/**
 * Makes the function that strips secrets and personal data from a URL before spoor records it: the value of every
 * query or fragment parameter whose name contains one of the words above or of `extra` (`access_token`,
 * `user_email`, `password`, `#id_token=…`), and of every parameter whose value holds an `@` (an email address by
 * another name), becomes `redacted`.
 *
 * @param extra more name parts to redact (default none); each is a regular expression fragment
 */
export function createRedactor(extra: string[] = []): (url: string) => string {
  const names = new RegExp([secretNames, ...extra].join('|'), 'i')
  return (url) =>
    url.replace(/([?&#])([^=&#]*)=([^&#]*)/g, (all, separator: string, name: string, value: string) =>
      names.test(name) || /@|%40/.test(value) ? separator + name + '=redacted' : all,
    )
}
