import { createTransport } from 'nodemailer'

/** A mail to send: who from, to whom, and its subject and bodies. */
export interface OutgoingMail {
  from: string
  to: string[]
  subject: string
  text: string
  html: string
}

/** An SMTP address as it may be shown: without its password. */
export function shownSmtp(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(not a URL)'
  }
}

/**
 * Sends `mail` through the SMTP server of `smtp` (`smtp://user:password@host:587`, which upgrades to TLS when the
 * server offers it, or `smtps://…:465`), with nodemailer: SMTP, its extensions and MIME are a protocol a
 * well-kept library does better than code of ours.
 *
 * @returns the server's id of the accepted message
 */
export async function sendMail(smtp: string, mail: OutgoingMail): Promise<string> {
  const transport = createTransport(smtp)
  try {
    const info = await transport.sendMail(mail)
    return String(info.messageId)
  } finally {
    transport.close()
  }
}
