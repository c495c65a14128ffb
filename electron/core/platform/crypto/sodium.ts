// Main process (Node only): the one small libsodium interface the vault uses, with two backends.
// This is the ONLY file that imports a libsodium package. Everything above it sees `SodiumBackend`.
//   'native' — sodium-native (N-API, libsodium C): default, ~3x faster, Argon2id off the event loop.
//   'wasm'   — libsodium-wrappers-sumo (WebAssembly): fallback where the native addon cannot load.
// Both produce byte-identical outputs for identical inputs (a test proves each decrypts the other's output).

import { createRequire } from 'node:module'
import { CustodiaError } from '../../../../shared/errors'

/** XChaCha20-Poly1305 (IETF) key length in bytes. */
export const AEAD_KEY_BYTES = 32
/** XChaCha20-Poly1305 nonce length in bytes (192-bit: random nonces are safe). */
export const AEAD_NONCE_BYTES = 24
/** Poly1305 tag appended to every AEAD ciphertext, in bytes. */
export const AEAD_TAG_BYTES = 16
/** Argon2id salt length in bytes (crypto_pwhash_SALTBYTES). */
export const PWHASH_SALT_BYTES = 16
/** crypto_kdf key and context lengths in bytes. */
export const KDF_KEY_BYTES = 32
export const KDF_CONTEXT_BYTES = 8
/** secretstream header (bytes written once at the start of a stream). */
export const STREAM_HEADER_BYTES = 24
/** secretstream per-chunk overhead: 1 tag byte + 16 MAC bytes. */
export const STREAM_ABYTES = 17
/** secretstream tags (crypto_secretstream_xchacha20poly1305_TAG_*). */
export const STREAM_TAG_MESSAGE = 0
export const STREAM_TAG_FINAL = 3
/** Bytes of a crypto_secretstream_xchacha20poly1305 state: key (32) ‖ nonce (4-byte counter ‖ 8-byte inonce) ‖ pad (8). */
export const STREAM_STATE_BYTES = 52
/** X25519 public and secret key size (crypto_box). */
export const BOX_KEY_BYTES = 32
/** What crypto_box_seal adds to a message: an ephemeral public key and a Poly1305 tag. */
export const BOX_SEAL_BYTES = 48

/** Encrypting half of crypto_secretstream_xchacha20poly1305. Not reusable after `dispose()`. */
export interface SecretStreamPusher {
  /** 24-byte stream header; store it before the first chunk. */
  readonly header: Buffer
  /**
   * Encrypts `message` into `out`, which must be exactly `message.length + STREAM_ABYTES` bytes (no allocation,
   * so callers can reuse one buffer). `tag` is STREAM_TAG_MESSAGE or STREAM_TAG_FINAL; `ad` (optional) is
   * authenticated with this chunk. Throws INTERNAL on a wrong buffer size.
   */
  push(out: Uint8Array, message: Uint8Array, tag: number, ad?: Uint8Array): void
  /** Wipes the internal state (it holds key material). */
  dispose(): void
}

/** Decrypting half of crypto_secretstream_xchacha20poly1305. */
export interface SecretStreamPuller {
  /**
   * Decrypts `cipher` (at least STREAM_ABYTES bytes) into `out` (exactly `cipher.length - STREAM_ABYTES`) and
   * returns the chunk's tag. A chunk that does not authenticate (changed, reordered, wrong key or `ad`) throws
   * CustodiaError('TAMPERED'); `out` must then be discarded. End-of-stream (missing FINAL) is the caller's check.
   */
  pull(out: Uint8Array, cipher: Uint8Array, ad?: Uint8Array): number
  dispose(): void
}

/**
 * The libsodium operations the vault needs. All byte inputs are Uint8Array/Buffer (never strings); outputs are
 * fresh Buffers the caller owns and may zero. Wrong lengths throw CustodiaError('INTERNAL') (a programming error).
 */
export interface SodiumBackend {
  readonly name: 'native' | 'wasm'
  /** `length` bytes from the OS CSPRNG (randombytes_buf). */
  randomBytes(length: number): Buffer
  /**
   * A zero-filled buffer for key material. Native: sodium_malloc (guarded, mlocked where the OS allows);
   * wasm: a plain Buffer. Zero it with `memzero` when done.
   */
  allocKey(length: number): Buffer
  /** Overwrites every byte of `buf` with zero (sodium_memzero; the JS-side fill for the wasm backend). */
  memzero(buf: Uint8Array): void
  /**
   * XChaCha20-Poly1305-IETF encrypt. key 32 bytes, nonce 24 bytes, `ad` any length (may be empty).
   * Returns ciphertext||tag (`message.length + 16` bytes).
   */
  aeadEncrypt(message: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Buffer
  /** Inverse of aeadEncrypt. Any authentication failure throws CustodiaError('TAMPERED'); never partial output. */
  aeadDecrypt(ciphertext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Buffer
  /**
   * aeadEncrypt into the caller's buffer: `out` at least `message.length + 16` bytes; returns the bytes written. For
   * large streams that reuse their buffers: fresh memory for every piece costs more than the cipher itself on some
   * machines (page faults on first touch: ≈ 9 µs per 4 KiB page measured on our 2-core VMs, 2.3 ms per MiB).
   */
  aeadEncryptInto(out: Uint8Array, message: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): number
  /**
   * aeadDecrypt into the caller's buffer: `out` at least `ciphertext.length − 16` bytes; returns the bytes written.
   * Authentication failure throws CustodiaError('TAMPERED') and zeroes those bytes of `out` (no stale plaintext left
   * in a reused buffer).
   */
  aeadDecryptInto(out: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): number
  /**
   * Argon2id v1.3 (crypto_pwhash, ALG_ARGON2ID13). salt 16 bytes, memlimit in bytes. Returns `outLength` bytes
   * in an allocKey buffer. Native runs on the libuv thread pool (event loop free); wasm blocks while it runs.
   */
  pwhash(outLength: number, passphrase: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number): Promise<Buffer>
  /** BLAKE2b (crypto_generichash): outLength 16..64; key (optional) 16..64 bytes. */
  generichash(outLength: number, message: Uint8Array, key?: Uint8Array): Buffer
  /** Unkeyed BLAKE2b of `message` written into `out` (16..64 bytes): no allocation, for hashing many small rows. */
  generichashInto(out: Uint8Array, message: Uint8Array): void
  /**
   * Unkeyed BLAKE2b-256 of each line of `text` (its UTF-8 bytes cut at every "\n"; the "\n" itself is in no line, so
   * "a\n" is the two lines "a" and ""), concatenated in order: 32 bytes per line. The same digests as
   * generichashInto line by line, in one call: at 300,000 short lines the JS↔native crossing per line cost more than
   * the hashing. Runs in libsodium's WebAssembly build once it has loaded (whenLinesFast); before that, or where
   * it cannot load, line by line with this backend.
   */
  generichashLines(text: string): Buffer
  /** Resolves (never rejects) once generichashLines runs its one-call path, or for good failed to load it. */
  whenLinesFast(): Promise<void>
  /**
   * crypto_kdf_derive_from_key (BLAKE2b): subkey `subkeyId` of `length` (16..64) bytes from a 32-byte key under an
   * 8-character ASCII `context`. Returns an allocKey buffer.
   */
  kdfDerive(length: number, subkeyId: number, context: string, key: Uint8Array): Buffer
  /** Starts an encrypting secretstream under a 32-byte key (fresh random header). */
  secretstreamPush(key: Uint8Array): SecretStreamPusher
  /** Starts a decrypting secretstream from a 24-byte header and a 32-byte key. */
  secretstreamPull(header: Uint8Array, key: Uint8Array): SecretStreamPuller
  /**
   * The raw crypto_secretstream_xchacha20poly1305 state (STREAM_STATE_BYTES, key material: wipe it) after init_pull,
   * for decrypting chunks elsewhere (a worker thread with sodium-native): see readDetachedBlobChunks. null where the
   * backend keeps its state out of reach (wasm).
   */
  secretstreamPullState(header: Uint8Array, key: Uint8Array): Buffer | null
  /** A fresh X25519 key pair (crypto_box_keypair): 32-byte public key, 32-byte secret key in an allocKey buffer. */
  boxKeypair(): { publicKey: Buffer; secretKey: Buffer }
  /**
   * crypto_box_seal: anonymous encryption of `message` to a 32-byte X25519 public key (ephemeral key pair, XSalsa20-
   * Poly1305). Returns `message.length + 48` bytes; only the holder of the secret key can open it.
   */
  boxSeal(message: Uint8Array, publicKey: Uint8Array): Buffer
  /** crypto_box_seal_open: the message, or null when the ciphertext does not open with this key pair (never partial). */
  boxSealOpen(ciphertext: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Buffer | null
}

function checkLength(label: string, buf: Uint8Array, expected: number): void {
  if (buf.length !== expected) throw new CustodiaError('INTERNAL', `${label} must be ${expected} bytes`)
}

function checkRoom(out: Uint8Array, needed: number): void {
  if (out.length < needed) throw new CustodiaError('INTERNAL', `the output buffer must hold ${needed} bytes`)
}

function checkContext(context: string): Buffer {
  const ctx = Buffer.from(context, 'latin1')
  if (ctx.length !== KDF_CONTEXT_BYTES || !/^[\x20-\x7e]{8}$/.test(context)) {
    throw new CustodiaError('INTERNAL', 'kdf context must be 8 printable ASCII characters')
  }
  return ctx
}

// --- native (sodium-native) -----------------------------------------------------------------------------------

// Only the functions we call, typed from node_modules/sodium-native/index.js (the package ships no .d.ts).
interface SodiumNativeModule {
  crypto_pwhash_ALG_ARGON2ID13: number
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number
  randombytes_buf(buf: Uint8Array): void
  sodium_malloc(size: number): Buffer
  sodium_memzero(buf: Uint8Array): void
  crypto_aead_xchacha20poly1305_ietf_encrypt(
    c: Uint8Array,
    m: Uint8Array,
    ad: Uint8Array | null,
    nsec: null,
    npub: Uint8Array,
    k: Uint8Array,
  ): number
  crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: Uint8Array,
    nsec: null,
    c: Uint8Array,
    ad: Uint8Array | null,
    npub: Uint8Array,
    k: Uint8Array,
  ): number
  crypto_pwhash_async(out: Uint8Array, passwd: Uint8Array, salt: Uint8Array, ops: number, mem: number, alg: number): Promise<void>
  crypto_generichash(out: Uint8Array, input: Uint8Array, key?: Uint8Array): void
  crypto_kdf_derive_from_key(out: Uint8Array, id: number, ctx: Uint8Array, key: Uint8Array): void
  crypto_box_keypair(pk: Uint8Array, sk: Uint8Array): void
  crypto_box_seal(c: Uint8Array, m: Uint8Array, pk: Uint8Array): void
  crypto_box_seal_open(m: Uint8Array, c: Uint8Array, pk: Uint8Array, sk: Uint8Array): boolean
  crypto_secretstream_xchacha20poly1305_init_push(state: Uint8Array, header: Uint8Array, key: Uint8Array): void
  crypto_secretstream_xchacha20poly1305_init_pull(state: Uint8Array, header: Uint8Array, key: Uint8Array): void
  crypto_secretstream_xchacha20poly1305_push(state: Uint8Array, c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, tag: number): number
  crypto_secretstream_xchacha20poly1305_pull(
    state: Uint8Array,
    m: Uint8Array,
    tag: Uint8Array,
    c: Uint8Array,
    ad: Uint8Array | null,
  ): number
}

function createNativeBackend(na: SodiumNativeModule, lineHasher: LineHasher): SodiumBackend {
  const allocKey = (length: number): Buffer => {
    try {
      return na.sodium_malloc(length)
    } catch {
      // sodium_malloc can fail when the mlock limit is reached; a plain buffer still works and is still zeroed.
      return Buffer.alloc(length)
    }
  }
  return {
    name: 'native',
    randomBytes(length) {
      const out = Buffer.allocUnsafe(length)
      na.randombytes_buf(out)
      return out
    },
    allocKey,
    memzero(buf) {
      na.sodium_memzero(buf)
    },
    aeadEncrypt(message, ad, nonce, key) {
      checkLength('nonce', nonce, AEAD_NONCE_BYTES)
      checkLength('key', key, AEAD_KEY_BYTES)
      const out = Buffer.allocUnsafe(message.length + AEAD_TAG_BYTES)
      na.crypto_aead_xchacha20poly1305_ietf_encrypt(out, message, ad.length ? ad : null, null, nonce, key)
      return out
    },
    aeadDecrypt(ciphertext, ad, nonce, key) {
      checkLength('nonce', nonce, AEAD_NONCE_BYTES)
      checkLength('key', key, AEAD_KEY_BYTES)
      if (ciphertext.length < AEAD_TAG_BYTES) throw new CustodiaError('TAMPERED', 'Ciphertext is too short')
      const out = Buffer.alloc(ciphertext.length - AEAD_TAG_BYTES)
      try {
        na.crypto_aead_xchacha20poly1305_ietf_decrypt(out, null, ciphertext, ad.length ? ad : null, nonce, key)
      } catch {
        throw new CustodiaError('TAMPERED', 'Encrypted data failed authentication')
      }
      return out
    },
    aeadEncryptInto(out, message, ad, nonce, key) {
      checkLength('nonce', nonce, AEAD_NONCE_BYTES)
      checkLength('key', key, AEAD_KEY_BYTES)
      const length = message.length + AEAD_TAG_BYTES
      checkRoom(out, length)
      na.crypto_aead_xchacha20poly1305_ietf_encrypt(out.subarray(0, length), message, ad.length ? ad : null, null, nonce, key)
      return length
    },
    aeadDecryptInto(out, ciphertext, ad, nonce, key) {
      checkLength('nonce', nonce, AEAD_NONCE_BYTES)
      checkLength('key', key, AEAD_KEY_BYTES)
      if (ciphertext.length < AEAD_TAG_BYTES) throw new CustodiaError('TAMPERED', 'Ciphertext is too short')
      const length = ciphertext.length - AEAD_TAG_BYTES
      checkRoom(out, length)
      try {
        na.crypto_aead_xchacha20poly1305_ietf_decrypt(out.subarray(0, length), null, ciphertext, ad.length ? ad : null, nonce, key)
      } catch {
        out.fill(0, 0, length)
        throw new CustodiaError('TAMPERED', 'Encrypted data failed authentication')
      }
      return length
    },
    async pwhash(outLength, passphrase, salt, opslimit, memlimit) {
      checkLength('salt', salt, PWHASH_SALT_BYTES)
      const out = allocKey(outLength)
      await na.crypto_pwhash_async(out, passphrase, salt, opslimit, memlimit, na.crypto_pwhash_ALG_ARGON2ID13)
      return out
    },
    generichash(outLength, message, key) {
      const out = Buffer.alloc(outLength)
      if (key) na.crypto_generichash(out, message, key)
      else na.crypto_generichash(out, message)
      return out
    },
    generichashInto(out, message) {
      na.crypto_generichash(out, message)
    },
    generichashLines(text) {
      const fast = lineHasher.ready
      if (fast) return fast(text)
      const bytes = Buffer.from(text)
      const lines = splitLines(bytes)
      const out = Buffer.allocUnsafe(lines.length * LINE_DIGEST_BYTES)
      lines.forEach((line, index) => na.crypto_generichash(out.subarray(index * LINE_DIGEST_BYTES, (index + 1) * LINE_DIGEST_BYTES), line))
      return out
    },
    whenLinesFast() {
      return lineHasher.loading
    },
    kdfDerive(length, subkeyId, context, key) {
      checkLength('kdf key', key, KDF_KEY_BYTES)
      const out = allocKey(length)
      na.crypto_kdf_derive_from_key(out, subkeyId, checkContext(context), key)
      return out
    },
    boxKeypair() {
      const publicKey = Buffer.alloc(BOX_KEY_BYTES)
      const secretKey = allocKey(BOX_KEY_BYTES)
      na.crypto_box_keypair(publicKey, secretKey)
      return { publicKey, secretKey }
    },
    boxSeal(message, publicKey) {
      checkLength('public key', publicKey, BOX_KEY_BYTES)
      const out = Buffer.alloc(message.length + BOX_SEAL_BYTES)
      na.crypto_box_seal(out, message, publicKey)
      return out
    },
    boxSealOpen(ciphertext, publicKey, secretKey) {
      checkLength('public key', publicKey, BOX_KEY_BYTES)
      checkLength('secret key', secretKey, BOX_KEY_BYTES)
      if (ciphertext.length < BOX_SEAL_BYTES) return null
      const out = Buffer.alloc(ciphertext.length - BOX_SEAL_BYTES)
      try {
        if (na.crypto_box_seal_open(out, ciphertext, publicKey, secretKey) === false) return null
      } catch {
        return null
      }
      return out
    },
    secretstreamPush(key) {
      checkLength('stream key', key, AEAD_KEY_BYTES)
      const state = allocKey(na.crypto_secretstream_xchacha20poly1305_STATEBYTES)
      const header = Buffer.alloc(STREAM_HEADER_BYTES)
      na.crypto_secretstream_xchacha20poly1305_init_push(state, header, key)
      return {
        header,
        push(out, message, tag, ad) {
          if (out.length !== message.length + STREAM_ABYTES) throw new CustodiaError('INTERNAL', 'stream output size')
          na.crypto_secretstream_xchacha20poly1305_push(state, out, message, ad ?? null, tag)
        },
        dispose() {
          na.sodium_memzero(state)
        },
      }
    },
    secretstreamPull(header, key) {
      checkLength('stream header', header, STREAM_HEADER_BYTES)
      checkLength('stream key', key, AEAD_KEY_BYTES)
      const state = allocKey(na.crypto_secretstream_xchacha20poly1305_STATEBYTES)
      const tag = Buffer.alloc(1)
      try {
        na.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
      } catch {
        throw new CustodiaError('TAMPERED', 'Encrypted stream header is invalid')
      }
      return {
        pull(out, cipher, ad) {
          if (cipher.length < STREAM_ABYTES || out.length !== cipher.length - STREAM_ABYTES) {
            throw new CustodiaError('TAMPERED', 'Encrypted stream chunk has an invalid size')
          }
          try {
            na.crypto_secretstream_xchacha20poly1305_pull(state, out, tag, cipher, ad ?? null)
          } catch {
            throw new CustodiaError('TAMPERED', 'Encrypted stream chunk failed authentication')
          }
          return tag[0] ?? -1
        },
        dispose() {
          na.sodium_memzero(state)
        },
      }
    },
    secretstreamPullState(header, key) {
      checkLength('stream header', header, STREAM_HEADER_BYTES)
      checkLength('stream key', key, AEAD_KEY_BYTES)
      const state = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_STATEBYTES)
      try {
        na.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
      } catch {
        throw new CustodiaError('TAMPERED', 'Encrypted stream header is invalid')
      }
      return state
    },
  }
}

// --- wasm (libsodium-wrappers-sumo) ------------------------------------------------------------------------------

// libsodium.js types this as {name, address}, but at runtime it is the bare heap address (a number).
type StateAddress = number

// The subset of libsodium-wrappers-sumo we call (its default export after `ready`).
interface SodiumWasmModule {
  ready: Promise<void>
  crypto_pwhash_ALG_ARGON2ID13: number
  randombytes_buf(length: number): Uint8Array
  memzero(bytes: Uint8Array): void
  crypto_aead_xchacha20poly1305_ietf_encrypt(m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): Uint8Array
  crypto_aead_xchacha20poly1305_ietf_decrypt(nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): Uint8Array
  crypto_pwhash(len: number, pw: Uint8Array, salt: Uint8Array, ops: number, mem: number, alg: number): Uint8Array
  crypto_generichash(len: number, m: Uint8Array, key: Uint8Array | null): Uint8Array
  crypto_kdf_derive_from_key(len: number, id: number, ctx: string, key: Uint8Array): Uint8Array
  crypto_box_keypair(): { publicKey: Uint8Array; privateKey: Uint8Array }
  crypto_box_seal(m: Uint8Array, pk: Uint8Array): Uint8Array
  crypto_box_seal_open(c: Uint8Array, pk: Uint8Array, sk: Uint8Array): Uint8Array
  crypto_secretstream_xchacha20poly1305_init_push(key: Uint8Array): { state: StateAddress; header: Uint8Array }
  crypto_secretstream_xchacha20poly1305_init_pull(header: Uint8Array, key: Uint8Array): StateAddress
  crypto_secretstream_xchacha20poly1305_push(state: StateAddress, m: Uint8Array, ad: Uint8Array | null, tag: number): Uint8Array
  crypto_secretstream_xchacha20poly1305_pull(
    state: StateAddress,
    c: Uint8Array,
    ad: Uint8Array | null,
  ): { message: Uint8Array; tag: number } | false
  // Raw Emscripten module: to wipe and free secretstream state (the wrappers never free it), and for generichashLines.
  libsodium?: RawLibsodium
}

/** The raw Emscripten exports generichashLines calls (libsodium-wrappers-sumo 0.8, i64 arguments as two i32 halves). */
interface RawLibsodium {
  HEAPU8: Uint8Array
  _free(address: number): void
  _malloc?(size: number): number
  _crypto_generichash?(out: number, outLen: number, input: number, inLenLow: number, inLenHigh: number, key: number, keyLen: number): number
}

const LINE_DIGEST_BYTES = 32

/** `bytes` cut at every "\n" (views, no copies). */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  for (;;) {
    const end = bytes.indexOf(10, start)
    lines.push(bytes.subarray(start, end === -1 ? bytes.length : end))
    if (end === -1) return lines
    start = end + 1
  }
}

/**
 * generichashLines over libsodium's WebAssembly build: the text is written into the wasm heap once and every line is
 * hashed by a direct call into it (no object per line, and a JS→wasm call costs a few nanoseconds where an N-API call
 * costs hundreds). null when the build does not export what it needs.
 */
function createRawLineHasher(raw: RawLibsodium): ((text: string) => Buffer) | null {
  const { _malloc: malloc, _crypto_generichash: hash } = raw
  if (typeof malloc !== 'function' || typeof hash !== 'function') return null
  const hashLines = (text: string): Buffer => {
    const length = Buffer.byteLength(text)
    // One byte more for a "\n" after the last line: every search for a line's end then stops inside the text.
    const input = malloc(length + 1)
    if (input === 0) throw new CustodiaError('INTERNAL', 'Out of memory while checking the vault')
    let output = 0
    try {
      let heap = raw.HEAPU8
      Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength).write(text, input, length, 'utf8')
      heap[input + length] = 10
      const end = input + length
      let lines = 1
      for (let at = heap.indexOf(10, input); at < end; at = heap.indexOf(10, at + 1)) lines++
      output = malloc(lines * LINE_DIGEST_BYTES)
      if (output === 0) throw new CustodiaError('INTERNAL', 'Out of memory while checking the vault')
      // The heap can move when it grows: take it again after the allocation.
      heap = raw.HEAPU8
      let start = input
      for (let line = 0; line < lines; line++) {
        const stop = heap.indexOf(10, start)
        if (hash(output + line * LINE_DIGEST_BYTES, LINE_DIGEST_BYTES, start, stop - start, 0, 0, 0) !== 0) {
          throw new CustodiaError('INTERNAL', 'Hashing failed while checking the vault')
        }
        start = stop + 1
      }
      return Buffer.from(heap.subarray(output, output + lines * LINE_DIGEST_BYTES))
    } finally {
      raw._free(input)
      if (output) raw._free(output)
    }
  }
  // The raw exports' calling convention is the build's, not a documented API: a build that passes 64-bit lengths
  // differently fails this known answer (BLAKE2b-256 of "abc" and of "") and is not used.
  try {
    const known = hashLines('abc\n').toString('hex')
    return known === `${BLAKE2B_256_ABC}${BLAKE2B_256_EMPTY}` ? hashLines : null
  } catch {
    return null
  }
}

const BLAKE2B_256_ABC = 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319'
const BLAKE2B_256_EMPTY = '0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8'

/** The native backend's way to generichashLines: libsodium's WebAssembly build, loaded in the background. */
interface LineHasher {
  ready: ((text: string) => Buffer) | null
  readonly loading: Promise<void>
}

function loadLineHasher(): LineHasher {
  const hasher: { ready: ((text: string) => Buffer) | null; loading: Promise<void> } = { ready: null, loading: Promise.resolve() }
  hasher.loading = import('libsodium-wrappers-sumo')
    .then(async (mod) => {
      const ws = (mod as unknown as { default: SodiumWasmModule }).default
      await ws.ready
      hasher.ready = ws.libsodium ? createRawLineHasher(ws.libsodium) : null
    })
    // Not loading it costs speed, never correctness: generichashLines then hashes line by line natively.
    .catch(() => undefined)
  return hasher
}

const WASM_STREAM_STATE_BYTES = 52

function wipeWasmState(ws: SodiumWasmModule, state: StateAddress): void {
  const raw = ws.libsodium
  if (!raw || !Number.isInteger(state) || state <= 0) return
  raw.HEAPU8.fill(0, state, state + WASM_STREAM_STATE_BYTES)
  raw._free(state)
}

/** Copies a wasm-heap-backed result into a Buffer we own, then wipes the original view. */
function takeWasmBytes(ws: SodiumWasmModule, bytes: Uint8Array, secret: boolean): Buffer {
  const out = secret ? Buffer.alloc(bytes.length) : Buffer.allocUnsafe(bytes.length)
  out.set(bytes)
  if (secret) ws.memzero(bytes)
  return out
}

function createWasmBackend(ws: SodiumWasmModule): SodiumBackend {
  const fastLines = ws.libsodium ? createRawLineHasher(ws.libsodium) : null
  return {
    name: 'wasm',
    randomBytes(length) {
      return takeWasmBytes(ws, ws.randombytes_buf(length), false)
    },
    allocKey(length) {
      return Buffer.alloc(length)
    },
    memzero(buf) {
      buf.fill(0)
    },
    aeadEncrypt(message, ad, nonce, key) {
      checkLength('nonce', nonce, AEAD_NONCE_BYTES)
      checkLength('key', key, AEAD_KEY_BYTES)
      return takeWasmBytes(ws, ws.crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad.length ? ad : null, null, nonce, key), false)
    },
    aeadDecrypt(ciphertext, ad, nonce, key) {
      checkLength('nonce', nonce, AEAD_NONCE_BYTES)
      checkLength('key', key, AEAD_KEY_BYTES)
      if (ciphertext.length < AEAD_TAG_BYTES) throw new CustodiaError('TAMPERED', 'Ciphertext is too short')
      let plain: Uint8Array
      try {
        plain = ws.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad.length ? ad : null, nonce, key)
      } catch {
        throw new CustodiaError('TAMPERED', 'Encrypted data failed authentication')
      }
      return takeWasmBytes(ws, plain, true)
    },
    // The wasm module returns its own output arrays; copying them into the caller's buffer keeps one contract.
    aeadEncryptInto(out, message, ad, nonce, key) {
      const sealed = this.aeadEncrypt(message, ad, nonce, key)
      checkRoom(out, sealed.length)
      out.set(sealed)
      return sealed.length
    },
    aeadDecryptInto(out, ciphertext, ad, nonce, key) {
      let plain: Buffer
      try {
        plain = this.aeadDecrypt(ciphertext, ad, nonce, key)
      } catch (error) {
        out.fill(0, 0, Math.max(0, ciphertext.length - AEAD_TAG_BYTES))
        throw error
      }
      try {
        checkRoom(out, plain.length)
        out.set(plain)
        return plain.length
      } finally {
        plain.fill(0)
      }
    },
    async pwhash(outLength, passphrase, salt, opslimit, memlimit) {
      checkLength('salt', salt, PWHASH_SALT_BYTES)
      // Let pending I/O and UI progress events run before the synchronous derivation blocks this thread.
      await new Promise((resolve) => setImmediate(resolve))
      const derived = ws.crypto_pwhash(outLength, passphrase, salt, opslimit, memlimit, ws.crypto_pwhash_ALG_ARGON2ID13)
      return takeWasmBytes(ws, derived, true)
    },
    generichash(outLength, message, key) {
      return takeWasmBytes(ws, ws.crypto_generichash(outLength, message, key ?? null), false)
    },
    generichashInto(out, message) {
      out.set(ws.crypto_generichash(out.length, message, null))
    },
    generichashLines(text) {
      if (fastLines) return fastLines(text)
      const lines = splitLines(Buffer.from(text))
      return Buffer.concat(lines.map((line) => ws.crypto_generichash(LINE_DIGEST_BYTES, line, null)))
    },
    whenLinesFast() {
      return Promise.resolve()
    },
    kdfDerive(length, subkeyId, context, key) {
      checkLength('kdf key', key, KDF_KEY_BYTES)
      checkContext(context)
      return takeWasmBytes(ws, ws.crypto_kdf_derive_from_key(length, subkeyId, context, key), true)
    },
    boxKeypair() {
      const pair = ws.crypto_box_keypair()
      return { publicKey: takeWasmBytes(ws, pair.publicKey, false), secretKey: takeWasmBytes(ws, pair.privateKey, true) }
    },
    boxSeal(message, publicKey) {
      checkLength('public key', publicKey, BOX_KEY_BYTES)
      return takeWasmBytes(ws, ws.crypto_box_seal(message, publicKey), false)
    },
    boxSealOpen(ciphertext, publicKey, secretKey) {
      checkLength('public key', publicKey, BOX_KEY_BYTES)
      checkLength('secret key', secretKey, BOX_KEY_BYTES)
      if (ciphertext.length < BOX_SEAL_BYTES) return null
      try {
        return takeWasmBytes(ws, ws.crypto_box_seal_open(ciphertext, publicKey, secretKey), true)
      } catch {
        return null
      }
    },
    secretstreamPush(key) {
      checkLength('stream key', key, AEAD_KEY_BYTES)
      const { state, header } = ws.crypto_secretstream_xchacha20poly1305_init_push(key)
      let disposed = false
      return {
        header: takeWasmBytes(ws, header, false),
        push(out, message, tag, ad) {
          if (disposed) throw new CustodiaError('INTERNAL', 'The stream was disposed')
          if (out.length !== message.length + STREAM_ABYTES) throw new CustodiaError('INTERNAL', 'stream output size')
          out.set(ws.crypto_secretstream_xchacha20poly1305_push(state, message, ad ?? null, tag))
        },
        dispose() {
          if (!disposed) wipeWasmState(ws, state)
          disposed = true
        },
      }
    },
    secretstreamPull(header, key) {
      checkLength('stream header', header, STREAM_HEADER_BYTES)
      checkLength('stream key', key, AEAD_KEY_BYTES)
      let state: StateAddress
      try {
        state = ws.crypto_secretstream_xchacha20poly1305_init_pull(header, key)
      } catch {
        throw new CustodiaError('TAMPERED', 'Encrypted stream header is invalid')
      }
      let disposed = false
      return {
        pull(out, cipher, ad) {
          if (disposed) throw new CustodiaError('INTERNAL', 'The stream was disposed')
          if (cipher.length < STREAM_ABYTES || out.length !== cipher.length - STREAM_ABYTES) {
            throw new CustodiaError('TAMPERED', 'Encrypted stream chunk has an invalid size')
          }
          let result: { message: Uint8Array; tag: number } | false
          try {
            result = ws.crypto_secretstream_xchacha20poly1305_pull(state, cipher, ad ?? null)
          } catch {
            result = false
          }
          // libsodium.js returns false (not an exception) on a failed check: treat both the same.
          if (result === false) throw new CustodiaError('TAMPERED', 'Encrypted stream chunk failed authentication')
          out.set(result.message)
          ws.memzero(result.message)
          return result.tag
        },
        dispose() {
          if (!disposed) wipeWasmState(ws, state)
          disposed = true
        },
      }
    },
    secretstreamPullState() {
      // libsodium.js keeps the state inside the WebAssembly heap and hands out only its address.
      return null
    },
  }
}

// --- loading -------------------------------------------------------------------------------------------------------

const loaded = new Map<'native' | 'wasm', Promise<SodiumBackend>>()

async function loadNative(): Promise<SodiumBackend> {
  // createRequire: sodium-native is a CommonJS addon without type declarations.
  const require = createRequire(import.meta.url)
  return createNativeBackend(require('sodium-native') as SodiumNativeModule, loadLineHasher())
}

/** Where sodium-native's entry point is, for worker threads that load it themselves; null if it cannot be found. */
export function resolveNativeSodium(): string | null {
  try {
    return createRequire(import.meta.url).resolve('sodium-native')
  } catch {
    return null
  }
}

async function loadWasm(): Promise<SodiumBackend> {
  const mod = (await import('libsodium-wrappers-sumo')) as unknown as { default: SodiumWasmModule }
  await mod.default.ready
  return createWasmBackend(mod.default)
}

/**
 * Loads (once per process) and returns a backend. Default 'native'. Throws CustodiaError('INTERNAL') when the
 * backend's library cannot load (the caller may then try 'wasm').
 */
export async function loadSodium(name: 'native' | 'wasm' = 'native'): Promise<SodiumBackend> {
  let pending = loaded.get(name)
  if (!pending) {
    pending = (name === 'native' ? loadNative() : loadWasm()).catch((err: unknown) => {
      loaded.delete(name)
      throw new CustodiaError('INTERNAL', `The ${name} crypto backend could not be loaded: ${(err as Error).message}`)
    })
    loaded.set(name, pending)
  }
  return pending
}
