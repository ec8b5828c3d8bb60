import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import { normalise, PersonalDataCipher } from './personal-data-cipher';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);

describe('PersonalDataCipher', () => {
  const cipher = new PersonalDataCipher(new Map([['k1', k1]]), 'k1');

  it('round-trips and never repeats a ciphertext', () => {
    const a = cipher.encrypt('Amina Yusuf', 'participant.fullName');
    const b = cipher.encrypt('Amina Yusuf', 'participant.fullName');
    assert.notEqual(a, b);
    assert.ok(!a.includes('Amina'));
    assert.match(a, /^v1:k1:/);
    assert.equal(cipher.decrypt(a, 'participant.fullName'), 'Amina Yusuf');
  });

  it('refuses a ciphertext moved to another field', () => {
    const a = cipher.encrypt('+9647700000000', 'participant.phone');
    assert.throws(() => cipher.decrypt(a, 'participant.fullName'));
  });

  it('refuses a tampered ciphertext', () => {
    const parts = cipher.encrypt('Amina Yusuf', 'x').split(':');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    parts[4] = body.toString('base64url');
    assert.throws(() => cipher.decrypt(parts.join(':'), 'x'));
  });

  it('reads and writes exactly the format of AES-256-GCM with the raw key (values stored before stay readable)', () => {
    const iv = Buffer.alloc(12, 7);
    const raw = createCipheriv('aes-256-gcm', k1, iv).setAAD(Buffer.from('x'));
    const ciphertext = Buffer.concat([raw.update('Amina Yusuf', 'utf8'), raw.final()]);
    const stored = ['v1', 'k1', iv.toString('base64url'), raw.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
    assert.equal(cipher.decrypt(stored, 'x'), 'Amina Yusuf');
    const [, , ivOut, tag, body] = cipher.encrypt('Amina Yusuf', 'x').split(':');
    const decipher = createDecipheriv('aes-256-gcm', k1, Buffer.from(ivOut, 'base64url')).setAAD(Buffer.from('x'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    assert.equal(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8'), 'Amina Yusuf');
  });

  it('reads values written under an older key after rotation', () => {
    const old = cipher.encrypt('Amina Yusuf', 'x');
    const rotated = new PersonalDataCipher(new Map([['k1', k1], ['k2', k2]]), 'k2');
    assert.equal(rotated.decrypt(old, 'x'), 'Amina Yusuf');
    assert.equal(rotated.keyIdOf(rotated.encrypt('y', 'x')), 'k2');
    assert.throws(() => new PersonalDataCipher(new Map([['k2', k2]]), 'k2').decrypt(old, 'x'), /no key with id k1/);
  });

  it('gives one blind index for names that differ only in case, accents and spacing', () => {
    assert.equal(cipher.blindIndex('  José  Ramírez ', '+1 555'), cipher.blindIndex('jose ramirez', '+1 555'));
    assert.notEqual(cipher.blindIndex('jose ramirez', '+1 555'), cipher.blindIndex('jose ramirez', '+1 556'));
    assert.equal(normalise('Ñandú-Pérez'), 'nandu perez');
  });
});
