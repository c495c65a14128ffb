// Test helper (Node): the smallest image tools the letter layout tests need — writing an RGB PNG (test signatures)
// and reading the binary PPM pages that poppler's pdftoppm writes, then finding coloured regions on them.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

export type Rgb = readonly [number, number, number]

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(8 + data.length + 4)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), 8 + data.length)
  return out
}

/** An 8-bit RGB PNG of `width` × `height` pixels, each pixel given by `pixel(x, y)`. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const raw = Buffer.alloc(height * (1 + width * 3))
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3)
    raw[row] = 0 // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y)
      raw[row + 1 + x * 3] = r
      raw[row + 2 + x * 3] = g
      raw[row + 3 + x * 3] = b
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A data: URL for PNG bytes. */
export const pngDataUrl = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`

/** One rendered page: RGB bytes, row by row. */
export type RasterPage = { readonly width: number; readonly height: number; readonly rgb: Buffer }

/** Reads a binary PPM (P6, maxval 255) as pdftoppm writes it. */
export function readPpm(bytes: Buffer): RasterPage {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString('latin1'))
  if (!header) throw new Error('not a binary PPM with maxval 255')
  const width = Number(header[1])
  const height = Number(header[2])
  return { width, height, rgb: bytes.subarray(header[0].length, header[0].length + width * height * 3) }
}

/** Renders every page of a PDF at `dpi` with pdftoppm into `workDir` and reads them, first page first. */
export function rasterisePdf(pdfFile: string, dpi: number, workDir: string): RasterPage[] {
  const prefix = path.join(workDir, `${path.basename(pdfFile, '.pdf')}-r${dpi}`)
  execFileSync('pdftoppm', ['-r', String(dpi), pdfFile, prefix])
  return fs
    .readdirSync(workDir)
    .filter((name) => name.startsWith(path.basename(prefix)) && name.endsWith('.ppm'))
    .sort((a, b) => Number(/-(\d+)\.ppm$/.exec(a)?.[1]) - Number(/-(\d+)\.ppm$/.exec(b)?.[1]))
    .map((name) => readPpm(fs.readFileSync(path.join(workDir, name))))
}

export type Box = { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number }

/**
 * The bounding boxes of the connected regions of pixels that `match`, largest first (8-connected). Regions smaller
 * than `minPixels` are dropped (anti-aliasing specks).
 */
export function findRegions(page: RasterPage, match: (rgb: Rgb) => boolean, minPixels = 20): (Box & { pixels: number })[] {
  const { width, height, rgb } = page
  const hit = new Uint8Array(width * height)
  for (let i = 0; i < width * height; i++) {
    if (match([rgb[i * 3] ?? 0, rgb[i * 3 + 1] ?? 0, rgb[i * 3 + 2] ?? 0])) hit[i] = 1
  }
  const regions: (Box & { pixels: number })[] = []
  const stack: number[] = []
  for (let start = 0; start < hit.length; start++) {
    if (hit[start] !== 1) continue
    hit[start] = 2
    stack.push(start)
    let pixels = 0
    let left = width
    let top = height
    let right = -1
    let bottom = -1
    while (stack.length > 0) {
      const i = stack.pop()!
      const x = i % width
      const y = (i - x) / width
      pixels++
      left = Math.min(left, x)
      right = Math.max(right, x)
      top = Math.min(top, y)
      bottom = Math.max(bottom, y)
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx
          const ny = y + dy
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue
          const j = ny * width + nx
          if (hit[j] === 1) {
            hit[j] = 2
            stack.push(j)
          }
        }
      }
    }
    if (pixels >= minPixels) regions.push({ left, top, right, bottom, pixels })
  }
  return regions.sort((a, b) => b.pixels - a.pixels)
}
