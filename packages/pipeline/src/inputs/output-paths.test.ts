import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldersAwayFromFiles, isInside, outputPathsFor } from './output-paths.js';

describe('outputPathsFor', () => {
  it('keeps the path below the given folder and ends every name in .mp4', () => {
    const inputs = [
      { path: join('clips', 'a.mov'), root: 'clips', relativePath: 'a.mov' },
      { path: join('clips', 'trip', 'b.MKV'), root: 'clips', relativePath: join('trip', 'b.MKV') },
      { path: join('other', 'c'), root: null, relativePath: 'c' },
    ];
    expect(outputPathsFor(inputs, 'out')).toEqual([join('out', 'a.mp4'), join('out', 'trip', 'b.mp4'), join('out', 'c.mp4')]);
  });

  it('gives inputs that would share a name distinct ones, never taking another input\'s natural name', () => {
    const inputs = [
      { path: 'a.mkv', root: null, relativePath: 'a.mkv' },
      { path: 'a.mov', root: null, relativePath: 'a.mov' },
      { path: 'A.webm', root: null, relativePath: 'A.webm' },
      { path: 'a-2.mp4', root: null, relativePath: 'a-2.mp4' },
    ];
    expect(outputPathsFor(inputs, 'out')).toEqual([join('out', 'a.mp4'), join('out', 'a-3.mp4'), join('out', 'A-4.mp4'), join('out', 'a-2.mp4')]);
  });

  it('never gives an output the path of an input, even one fixed into its own folder', () => {
    const inputs = [
      { path: 'x.mov', root: null, relativePath: 'x.mov' },
      { path: 'x.mp4', root: null, relativePath: 'x.mp4' },
    ];
    expect(outputPathsFor(inputs, '.')).toEqual(['x-2.mp4', 'x-3.mp4']);
  });

  it('compares inputs and outputs by resolved path and without regard to case', () => {
    const inputs = [
      { path: join('clips', 'Trip.MOV'), root: null, relativePath: 'Trip.MOV' },
      { path: join('clips', '..', 'clips', 'trip.mp4'), root: null, relativePath: 'trip.mp4' },
      { path: join('clips', 'trip-2.mp4'), root: null, relativePath: 'trip-2.mp4' },
    ];
    expect(outputPathsFor(inputs, join('.', 'clips'))).toEqual([join('clips', 'Trip-3.mp4'), join('clips', 'trip-4.mp4'), join('clips', 'trip-2-2.mp4')]);
  });
});

describe('outputPathsFor and 3GP', () => {
  it('keeps a .3gp input 3GP, and numbers clashing 3GP names like MP4 ones', () => {
    const inputs = [
      { path: 'a.3gp', root: null, relativePath: 'a.3gp' },
      { path: 'b.3GP', root: null, relativePath: 'b.3GP' },
      { path: join('x', 'a.3gp'), root: null, relativePath: 'a.3gp' },
      { path: 'c.3g2', root: null, relativePath: 'c.3g2' },
    ];
    expect(outputPathsFor(inputs, 'out')).toEqual([join('out', 'a.3gp'), join('out', 'b.3gp'), join('out', 'a-2.3gp'), join('out', 'c.mp4')]);
  });
});

describe('isInside', () => {
  it('tells a folder below another, or the same folder, from a sibling', () => {
    expect(isInside(join('in', 'out'), 'in')).toBe(true);
    expect(isInside('in', 'in')).toBe(true);
    expect(isInside('input-fixed', 'in')).toBe(false);
    expect(isInside('out', 'in')).toBe(false);
  });
});

describe('outputPathsFor with reserved names', () => {
  it('moves a folder of outputs that would take the name of a file wavid writes', () => {
    const inputs = [
      { path: join('in', 'report.html', 'a.mov'), root: 'in', relativePath: join('report.html', 'a.mov') },
      { path: join('in', 'report.html-2', 'b.mov'), root: 'in', relativePath: join('report.html-2', 'b.mov') },
      { path: join('in', 'Wavid-Manifest.JSON', 'c.mov'), root: 'in', relativePath: join('Wavid-Manifest.JSON', 'c.mov') },
      { path: join('in', 'd.mov'), root: 'in', relativePath: 'd.mov' },
    ];
    expect(outputPathsFor(inputs, 'out', { reserved: ['wavid-manifest.json', 'report.html'] })).toEqual([
      join('out', 'report.html-3', 'a.mp4'),
      join('out', 'report.html-2', 'b.mp4'),
      join('out', 'Wavid-Manifest.JSON-2', 'c.mp4'),
      join('out', 'd.mp4'),
    ]);
  });
});

describe('outputPathsFor with an output file named like a folder of outputs', () => {
  it('moves the folder, as it moves one with a reserved name', () => {
    const inputs = [
      { path: 's3://b/a.mp4', root: 's3://b', relativePath: 'a.mp4' },
      { path: 's3://b/a.mp4/b.mp4', root: 's3://b', relativePath: join('a.mp4', 'b.mp4') },
      { path: 's3://b/a.mp4/c/d.mov', root: 's3://b', relativePath: join('a.mp4', 'c', 'd.mov') },
      { path: 's3://b/x.mov', root: 's3://b', relativePath: 'x.mov' },
      { path: 's3://b/X.MP4/y.mov', root: 's3://b', relativePath: join('X.MP4', 'y.mov') },
    ];
    expect(outputPathsFor(inputs, 'out')).toEqual([
      join('out', 'a.mp4'),
      join('out', 'a.mp4-2', 'b.mp4'),
      join('out', 'a.mp4-2', 'c', 'd.mp4'),
      join('out', 'x.mp4'),
      join('out', 'X.MP4-2', 'y.mp4'),
    ]);
  });
});

describe('foldersAwayFromFiles', () => {
  it.each([
    [['a.mp4', join('a.mp4', 'b.mp4')], ['a.mp4', join('a.mp4-2', 'b.mp4')]],
    [['a.mp4', join('a.mp4', 'b.mp4'), join('a.mp4-2', 'c.mp4')], ['a.mp4', join('a.mp4-3', 'b.mp4'), join('a.mp4-2', 'c.mp4')]],
    [[join('d', 'a.mp4'), join('d', 'a.mp4', 'b.mp4')], [join('d', 'a.mp4'), join('d', 'a.mp4-2', 'b.mp4')]],
    [['a.mp4', join('b', 'a.mp4', 'c.mp4')], ['a.mp4', join('b', 'a.mp4', 'c.mp4')]],
    [[join('a', 'b.mp4'), join('a', 'c.mp4')], [join('a', 'b.mp4'), join('a', 'c.mp4')]],
  ])('%j becomes %j', (paths, expected) => {
    expect(foldersAwayFromFiles(paths)).toEqual(expected);
  });
});
