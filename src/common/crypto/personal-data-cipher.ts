import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, KeyObject, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const FORMAT = 'v1';

/**
 * AES-256-GCM for personal data at rest. A stored value reads `v1:<keyId>:<iv>:<tag>:<ciphertext>`
 * (base64url parts): the key id lets old values be read after the key is rotated, and the
 * `context` (e.g. `participant.fullName`) is bound as associated data, so a ciphertext copied into
 * another column or record type fails to decrypt instead of showing the wrong person's data.
 */
export class PersonalDataCipher {
  private readonly blindIndexKey: Buffer;
  /** The keys as KeyObjects, made once: from a Buffer, Node builds one on every createCipheriv (a visible share of a POST's CPU). */
  private readonly keyObjects: ReadonlyMap<string, KeyObject>;
  /** Each context's associated data, made once: a list page decrypts 50 values of one context. */
  private readonly aad = new Map<string, Buffer>();

  /** `keys` maps key id → 32-byte key; `currentKeyId` encrypts, any listed key decrypts. */
  constructor(
    keys: ReadonlyMap<string, Buffer>,
    private readonly currentKeyId: string,
  ) {
    const current = keys.get(currentKeyId);
    if (!current || current.length !== 32) throw new Error(`encryption key ${currentKeyId} must be 32 bytes`);
    // A separate key for the blind index, derived so that it never equals the encryption key.
    this.blindIndexKey = Buffer.from(hkdfSync('sha256', current, Buffer.alloc(0), 'jsd blind index v1', 32));
    this.keyObjects = new Map([...keys].map(([id, key]) => [id, createSecretKey(key)]));
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keyObjects.get(this.currentKeyId)!, iv);
    cipher.setAAD(this.aadOf(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  decrypt(stored: string, context: string): string {
    const [format, keyId, iv, tag, ciphertext, ...rest] = stored.split(':');
    if (format !== FORMAT || rest.length || !ciphertext) throw new Error('not a value this cipher wrote');
    const key = this.keyObjects.get(keyId);
    if (!key) throw new Error(`no key with id ${keyId} is configured`);
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(this.aadOf(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    // The output decoder keeps a character split between update() and final() whole.
    return decipher.update(Buffer.from(ciphertext, 'base64url'), undefined, 'utf8') + decipher.final('utf8');
  }

  private aadOf(context: string): Buffer {
    let aad = this.aad.get(context);
    if (!aad) this.aad.set(context, (aad = Buffer.from(context)));
    return aad;
  }

  /** The key id a stored value was encrypted with (to find values that still need re-encryption). */
  keyIdOf(stored: string): string {
    return stored.split(':')[1];
  }

  /**
   * A keyed hash for finding duplicates without storing names in clear: equal for values that
   * normalise alike, useless to anyone without the key.
   */
  blindIndex(...parts: string[]): string {
    const normalised = parts.map(normalise).join('\u0000');
    return createHmac('sha256', this.blindIndexKey).update(normalised).digest('hex');
  }
}

/** Case, accents, punctuation and spacing do not make two people different. */
export function normalise(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
