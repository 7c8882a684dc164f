import { createHmac } from 'node:crypto';
import { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ eventId: 'e1', position: '42', type: 'LeadCreated', data: { company: 'Analytical Engines Ltd' } });

  it('makes 32-byte secrets, base64url, a new one each time', () => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs with HMAC-SHA256 over the exact body bytes, keyed by the secret text, as sha256=<hex>', () => {
    expect(signWebhookBody(secret, body)).toBe(`sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex')}`);
    expect(signWebhookBody(secret, Buffer.from(body))).toBe(signWebhookBody(secret, body));
  });

  it('verifies the body it signed, string or bytes, and an upper-case hex digest', () => {
    const signature = signWebhookBody(secret, body);
    expect(verifyWebhookSignature(secret, body, signature)).toBe(true);
    expect(verifyWebhookSignature(secret, Buffer.from(body), signature)).toBe(true);
    expect(verifyWebhookSignature(secret, body, `sha256=${signature.slice(7).toUpperCase()}`)).toBe(true);
  });

  it('refuses a tampered body, another secret, and a missing or malformed header', () => {
    const signature = signWebhookBody(secret, body);
    expect(verifyWebhookSignature(secret, body.replace('42', '43'), signature)).toBe(false);
    expect(verifyWebhookSignature(secret, `${body} `, signature)).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), body, signature)).toBe(false);
    for (const bad of [undefined, null, '', signature.slice(7), `sha1=${signature.slice(7)}`, signature.slice(0, -2), `${signature}00`, 'sha256=zz']) {
      expect(verifyWebhookSignature(secret, body, bad)).toBe(false);
    }
  });
});
