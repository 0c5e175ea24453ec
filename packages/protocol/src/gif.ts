/**
 * The 43-byte transparent 1×1 GIF: GIF89a with a two-colour table and a Graphic Control Extension marking colour 0
 * transparent. The 35-byte form is opaque; smaller hacks broke in Safari 14/15.
 */
export const transparentGif = Uint8Array.from([
  0x47,
  0x49,
  0x46,
  0x38,
  0x39,
  0x61, // "GIF89a"
  0x01,
  0x00,
  0x01,
  0x00, // 1 × 1 pixels
  0x80,
  0x00,
  0x00, // global colour table of 2 entries, background 0, no aspect ratio
  0xff,
  0xff,
  0xff,
  0x00,
  0x00,
  0x00, // the table: white, black
  0x21,
  0xf9,
  0x04,
  0x01,
  0x00,
  0x00,
  0x00,
  0x00, // graphic control: colour 0 is transparent
  0x2c,
  0x00,
  0x00,
  0x00,
  0x00,
  0x01,
  0x00,
  0x01,
  0x00,
  0x00, // image at 0,0 of 1 × 1
  0x02,
  0x02,
  0x44,
  0x01,
  0x00, // LZW-coded pixel data
  0x3b, // trailer
])

/** Headers of every pixel answer: never cached anywhere, so that each open or view reaches the collector. */
export const gifHeaders = {
  'Content-Type': 'image/gif',
  'Content-Length': String(transparentGif.length),
  'Cache-Control': 'no-cache, no-store, must-revalidate, max-age=0',
  Pragma: 'no-cache',
  Expires: '0',
}
