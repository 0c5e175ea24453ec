import { eventTypes } from './envelope.js'

const nullableString = { type: ['string', 'null'] } as const
const isoTimestamp = { type: 'string', format: 'date-time' } as const
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const

/**
 * JSON Schema (draft 2020-12) of one line of `events/**\/*.ndjson`. Downstream loaders can generate table
 * definitions from it; the collector's tests check every line they write against it.
 */
export const eventLineSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://spoor.dev/schema/event-line.json',
  title: 'spoor event line',
  description: 'One event as written by the spoor collector: the Segment envelope plus arrival metadata.',
  type: 'object',
  additionalProperties: false,
  required: [
    'messageId',
    'type',
    'event',
    'name',
    'category',
    'userId',
    'anonymousId',
    'groupId',
    'previousId',
    'properties',
    'traits',
    'context',
    'originalTimestamp',
    'sentAt',
    'receivedAt',
    'timestamp',
    'writeKey',
  ],
  properties: {
    messageId: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'Unique per event, kept across retries: dedupe on it.',
    },
    type: { enum: eventTypes, description: 'Segment message type.' },
    event: { ...nullableString, description: 'track: the event name.' },
    name: { ...nullableString, description: 'page and screen: the page name.' },
    category: { ...nullableString, description: 'page: the page category.' },
    userId: { ...nullableString, description: 'The known user, after identify.' },
    anonymousId: { ...nullableString, description: 'The device-level visitor id.' },
    groupId: { ...nullableString, description: 'group: the account or company id.' },
    previousId: { ...nullableString, description: 'alias: the id merged into userId.' },
    properties: { type: 'object', description: 'Event properties (track, page, screen); {} otherwise.' },
    traits: { type: 'object', description: 'identify and group traits; {} otherwise.' },
    context: {
      type: 'object',
      description:
        'Where and how the event happened: page, campaign, userAgent, locale, timezone, screen, library, ip (masked). ' +
        'Added by the collector: bot (true for bots and headless browsers), gpc (true when sent with Sec-GPC: 1), ' +
        'visitor_hash (cookieless daily visitor id, where the site enables it); and, where the sender left them out, ' +
        'session, campaign and first_campaign (from the visitor id, the 30-minute gap and the page URL), userAgent ' +
        "(the request's User-Agent, cut to 512 characters) and userAgentData (from the request's headers), page.path " +
        'and page.search (from page.url), location.country ' +
        '(an ISO 3166-1 alpha-2 code, from the unmasked address; with a city dataset also location.region and ' +
        'location.city), browser, os and device.type (from the user agent and client hints).',
      properties: {
        ip: {
          type: 'string',
          description: 'The client address, masked (IPv4 /16, IPv6 /48 by default); absent under GPC minimize.',
        },
        bot: { const: true, description: 'Present (true) when the user agent is a bot, crawler or headless browser.' },
        gpc: { const: true, description: 'Present (true) when the event was sent with Sec-GPC: 1.' },
        visitor_hash: {
          type: 'string',
          pattern: '^[0-9a-f]{16}$',
          description: 'HMAC of site, IP and user agent under a daily salt kept only in memory.',
        },
        location: {
          type: 'object',
          properties: {
            country: {
              type: 'string',
              description:
                "The country of the client's address as an ISO 3166-1 alpha-2 code (`DE`), looked up before the " +
                "address is masked; absent when unknown (private addresses). A sender's own value is kept as sent.",
            },
            region: {
              type: 'string',
              description:
                'The region (state, province) of the address, by name as the city dataset spells it (`Lower ' +
                'Saxony`): the collector writes it where a city dataset is installed, not under GPC minimize; a ' +
                "sender's own location is kept as sent, its region and city too.",
            },
            city: {
              type: 'string',
              description: 'The city of the address, by name (`Mountain View`); as `region`.',
            },
          },
        },
        browser: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'The browser (`Chrome`, `Safari`, `Firefox`, `Microsoft Edge`).' },
            version: { type: 'string', description: 'Its major version (`143`).' },
          },
        },
        os: {
          type: 'object',
          properties: {
            name: {
              type: 'string',
              description: 'The operating system (`iOS`, `Android`, `Windows`, `macOS`, `Linux`).',
            },
            version: { type: 'string', description: 'Its version, when the agent tells it (`17.4`).' },
          },
        },
        device: {
          type: 'object',
          properties: {
            type: {
              type: 'string',
              description:
                "`mobile`, `tablet` or `desktop` when the collector adds it; a sender's own value (`ios`) is kept.",
            },
          },
        },
      },
    },
    originalTimestamp: { ...nullableTimestamp, description: "The client's clock at the call." },
    sentAt: { ...nullableTimestamp, description: "The client's clock at send." },
    receivedAt: { ...isoTimestamp, description: "The collector's clock at arrival." },
    timestamp: { ...isoTimestamp, description: 'When the event happened, corrected for client clock skew.' },
    writeKey: { type: 'string', description: 'The site the event belongs to.' },
  },
} as const
