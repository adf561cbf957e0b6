import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../src/emulator/runtime/output-lines.js';

function split(chunks: Array<string | Buffer>, maxLength = 8): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(maxLength, (line) => lines.push(line));
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.end();
  return lines;
}

test('output lines: split on newlines across chunks, CRLF trimmed, empty lines kept, tail flushed', () => {
  assert.deepEqual(split(['a\nb', 'c\r\n\nd']), ['a', 'bc', '', 'd']);
  assert.deepEqual(split(['one\n']), ['one']);
});

test('output lines: a line longer than the limit is emitted in pieces, so nothing grows without bound', () => {
  assert.deepEqual(split(['0123456789abcdefXY\n'], 8), ['01234567', '89abcdef', 'XY']);
  assert.deepEqual(split(['0123', '4567', '89'], 8), ['01234567', '89']);
});

test('output lines: a multi-byte character split across chunks is decoded whole', () => {
  const bytes = Buffer.from('é\n');
  assert.deepEqual(split([bytes.subarray(0, 1), bytes.subarray(1)]), ['é']);
});
