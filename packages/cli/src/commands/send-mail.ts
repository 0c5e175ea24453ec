import { createTransport } from 'nodemailer'

/** A mail to send: who from, to whom, and its subject and bodies. */
export interface OutgoingMail {
  from: string
  to: string[]
  subject: string
  text: string
  html: string
}

/**
 * An SMTP address as it may be shown: without its password, however it is written (`smtp:/user:pw@host`, missing a
 * slash, parses as a path with no password, so anything between a `:` and an `@` is masked too).
 */
export function shownSmtp(url: string): string {
  let shown = url
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    shown = parsed.toString()
  } catch {
    // Masked below as it was written.
  }
  return shown.replace(/:[^:@/]*@/g, ':***@')
}

const loopback = /^(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i

/**
 * Sends `mail` through the SMTP server of `smtp` (`smtp://user:password@host:587`, which must upgrade to TLS before
 * the login, or `smtps://…:465`), with nodemailer: SMTP, its extensions and MIME are a protocol a well-kept library
 * does better than code of ours. Only a server on the loopback address may be spoken to without TLS: elsewhere a
 * server (or a meddler) that offers no STARTTLS would get the password in clear.
 *
 * @returns the server's id of the accepted message
 */
export async function sendMail(smtp: string, mail: OutgoingMail): Promise<string> {
  const transport = createTransport({ url: smtp, requireTLS: !loopback.test(new URL(smtp).hostname) })
  try {
    const info = await transport.sendMail(mail)
    return String(info.messageId)
  } finally {
    transport.close()
  }
}
