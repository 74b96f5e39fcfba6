import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeckWriter, parseLammpsInput, quoted } from '../../src/lammps/deckText';
import { ParseError } from '../../src/core/errors';
import { FIX } from './helpers';

test('parseLammpsInput reads the reference bench deck command by command', () => {
  const cmds = parseLammpsInput(readFileSync(join(FIX, 'lammps/in.ref'), 'utf8'), 'in.ref');
  assert.equal(cmds.length, 21);
  assert.deepEqual(cmds[0], { name: 'units', args: ['metal'], line: 1 });
  assert.deepEqual(cmds.find((c) => c.name === 'pair_coeff')!.args, ['*', '*', 'bench_lps.uf3', 'Li', 'P', 'S']);
  assert.deepEqual(cmds.find((c) => c.name === 'velocity')!.args, ['all', 'create', '300.0', '4928459', 'loop', 'geom']);
  assert.deepEqual(cmds[cmds.length - 1], { name: 'run', args: ['100'], line: 21 });
});

test('parseLammpsInput: comments, continuation lines, quotes (also triple and multi-line), variables kept', () => {
  const text = [
    '# a comment line',
    'units metal   # trailing comment',
    'fix 1 all print 10 "$(step) # not a comment" file t.csv title \'a b\'',
    'thermo_style custom step &',
    '   temp pe',
    'print """two',
    'lines"""',
    'variable x equal ${y}',
    '',
  ].join('\n');
  const cmds = parseLammpsInput(text);
  assert.deepEqual(cmds.map((c) => [c.name, c.args, c.line]), [
    ['units', ['metal'], 2],
    ['fix', ['1', 'all', 'print', '10', '$(step) # not a comment', 'file', 't.csv', 'title', 'a b'], 3],
    ['thermo_style', ['custom', 'step', 'temp', 'pe'], 4],
    ['print', ['two\nlines'], 6],
    ['variable', ['x', 'equal', '${y}'], 8],
  ]);
  assert.throws(() => parseLammpsInput('units metal\nprint "open\n', 'bad.in'), (e: unknown) => e instanceof ParseError && /bad\.in:2/.test(e.message));
});

test('DeckWriter output parses back to the commands written', () => {
  const d = new DeckWriter().comment('header', 'two\nlines').command('units', 'metal').blank().blank()
    .command('fix', 'p', 'all', 'print', 5, quoted('$(step),$(pe:%.15g)'), 'title', quoted('step,pe_eV'));
  const text = d.text();
  assert.equal(text.split('\n').filter((l) => l === '').length, 2, 'one blank line kept, plus the final newline');
  assert.deepEqual(parseLammpsInput(text).map((c) => [c.name, ...c.args]), [
    ['units', 'metal'],
    ['fix', 'p', 'all', 'print', '5', '$(step),$(pe:%.15g)', 'title', 'step,pe_eV'],
  ]);
});
