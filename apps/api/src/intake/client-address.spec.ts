import { addressRateKey } from './client-address';

describe('addressRateKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:127.0.0.1', '127.0.0.1'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:0db8:85a3:08d3:ffff:ffff:ffff:ffff', '2001:db8:85a3:8d3::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    [undefined, 'unknown'],
    ['', 'unknown'],
  ])('%p is limited as %p', (address, key) => {
    expect(addressRateKey(address)).toBe(key);
  });

  it('puts two addresses of one /64 together, and two /64s apart', () => {
    expect(addressRateKey('2001:db8:1:2::a')).toBe(addressRateKey('2001:db8:1:2:ffff::b'));
    expect(addressRateKey('2001:db8:1:2::a')).not.toBe(addressRateKey('2001:db8:1:3::a'));
  });
});
