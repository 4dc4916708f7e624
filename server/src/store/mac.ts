/**
 * HMAC-SHA256 (js-sha256, which runs in FDK's sandbox: no Buffer, no crypto module) encoded as
 * base64url, for key names and value seals.
 */
import { sha256 } from 'js-sha256';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding. */
export function base64url(bytes: readonly number[]): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const chunk = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    const characters = Math.min(4, Math.ceil(((bytes.length - index) * 8) / 6));
    for (let position = 0; position < characters; position += 1) {
      text += ALPHABET.charAt((chunk >> (18 - 6 * position)) & 63);
    }
  }
  return text;
}

export function hmacBase64url(secret: string, message: string): string {
  return base64url(sha256.hmac.array(secret, message));
}

/** Compares two strings without an early exit, so timing reveals nothing about where they differ. */
export function sameText(expected: string, received: string): boolean {
  let difference = expected.length ^ received.length;
  for (let index = 0; index < expected.length; index += 1) {
    difference |= expected.charCodeAt(index) ^ received.charCodeAt(index);
  }
  return difference === 0;
}
