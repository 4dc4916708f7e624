import { strict as assert } from 'node:assert';
import { jsonBytes, utf8Bytes } from '#server/audit/size';

describe('utf8Bytes', () => {
  it('counts bytes as UTF-8 sends them, not UTF-16 code units', () => {
    assert.equal(utf8Bytes('abc'), 3);
    assert.equal(utf8Bytes('é'), 2);
    assert.equal(utf8Bytes('日本'), 6);
    assert.equal(utf8Bytes('😀'), 4);
    assert.equal(utf8Bytes('Zoë 😀 日'), Buffer.byteLength('Zoë 😀 日', 'utf8'));
  });

  it('jsonBytes measures the serialized value (and nothing for undefined)', () => {
    assert.equal(jsonBytes({ name: 'Zoë' }), Buffer.byteLength('{"name":"Zoë"}', 'utf8'));
    assert.equal(jsonBytes(undefined), 0);
  });
});
