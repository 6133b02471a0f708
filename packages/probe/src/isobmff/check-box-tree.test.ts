import { describe, expect, it } from 'vitest';
import { box, u32 } from './test-boxes.js';
import { findBoxTreeProblem } from './check-box-tree.js';

const fullHeader = [0, 0, 0, 0];

describe('findBoxTreeProblem', () => {
  it('accepts a well-formed tree', () => {
    const stts = box('stts', fullHeader, u32(1), u32(10), u32(512));
    const stsz = box('stsz', fullHeader, u32(0), u32(2), u32(100), u32(200));
    const moov = box('moov', box('trak', box('mdia', box('minf', box('stbl', stts, stsz)))));
    expect(findBoxTreeProblem(moov, 10_000)).toBeNull();
  });

  it('rejects a table that claims more entries than it holds', () => {
    const stts = box('stts', fullHeader, u32(0xffffffff), u32(10), u32(512));
    expect(findBoxTreeProblem(box('moov', box('trak', box('mdia', box('minf', box('stbl', stts))))), 10_000)).toMatch(
      /'stts' claims 4294967295 entries/,
    );
  });

  it('rejects a constant-size sample table larger than the file', () => {
    const stsz = box('stsz', fullHeader, u32(1), u32(0xfffffff0));
    expect(findBoxTreeProblem(box('moov', box('trak', box('mdia', box('minf', box('stbl', stsz))))), 1_000_000)).toMatch(
      /more than the whole file/,
    );
  });

  it('rejects a trun that claims more samples than its fields hold', () => {
    const trun = box('trun', [0, 0, 0x01, 0x00], u32(1_000_000), u32(512));
    expect(findBoxTreeProblem(box('moof', box('traf', trun)), 1_000_000)).toMatch(/'trun' claims 1000000 samples/);
  });

  it('rejects a child that runs past its parent', () => {
    const moov = box('moov', box('trak'));
    new DataView(moov.buffer).setUint32(8, 500);
    expect(findBoxTreeProblem(moov, 10_000)).toMatch(/claims 500 bytes/);
  });

  it('stops at absurd nesting', () => {
    let inner = box('stbl');
    for (let i = 0; i < 40; i++) inner = box('trak', inner);
    expect(findBoxTreeProblem(box('moov', inner), 10_000)).toMatch(/nested deeper/);
  });
});
