// oracle.mjs: compares Bough's GraphQL core with graphql-js over the document corpus (TAP output).
//
// Copyright 2026 The Bough authors
// SPDX-License-Identifier: Apache-2.0
//
// node oracle.mjs GQL_TOOL SCHEMA.graphql DOCUMENTS_DIR [--no-validate] [--no-introspection]
//   [--mutate N]: also compare N documents made by seeded random edits of the corpus
//   [--variables CASES.json]: compare the coercion of request variables
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  parse, print, validate, buildSchema, buildClientSchema, assertValidSchema, printSchema,
  getVariableValues,
} from 'graphql';

const [tool, schemaPath, docsDir, ...flags] = process.argv.slice(2);
const validateToo = !flags.includes('--no-validate');
const introspectToo = !flags.includes('--no-introspection');
const schemaSdl = readFileSync(schemaPath, 'utf8');
const schema = buildSchema(schemaSdl);
// DOCUMENTS_DIR '-' compares the schema only
let files = docsDir === '-' ? [] : readdirSync(docsDir).filter((f) => f.endsWith('.graphql')).sort()
  .map((f) => join(docsDir, f));

// Differential testing beyond the corpus: deterministic edits (a small LCG
// seeds them) that keep documents near the grammar and the schema.
const mutateIndex = flags.indexOf('--mutate');
let mutantsDir;
if (mutateIndex >= 0) {
  const count = Number(flags[mutateIndex + 1]);
  let state = 20261126;
  const rand = (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const sources = files.map((f) => readFileSync(f, 'utf8'));
  const words = [...new Set(sources.join(' ').match(/[_A-Za-z][_0-9A-Za-z]*/g))];
  const bits = ['{', '}', '(', ')', '[', ']', ':', '!', '$', '@', '=', '|', '&', '...', '"', '"""', '\\', ' ',
    '\n', '#', ',', '-', '0', '1.5', 'on ', 'null', '$a', '@skip(if: $x)', ' { id }', ' ...F', 'é'];
  mutantsDir = mkdtempSync(join(tmpdir(), 'bough-oracle-'));
  const mutants = [];
  for (let i = 0; i < count; i++) {
    let s = sources[rand(sources.length)];
    const edits = 1 + rand(3);
    for (let e = 0; e < edits; e++) {
      const p = rand(s.length + 1);
      switch (rand(4)) {
        case 0: s = s.slice(0, p) + bits[rand(bits.length)] + s.slice(p); break;
        case 1: s = s.slice(0, p) + s.slice(p + 1 + rand(3)); break;
        default: {
          const m = [...s.matchAll(/[_A-Za-z][_0-9A-Za-z]*/g)];
          if (m.length) {
            const w = m[rand(m.length)];
            s = s.slice(0, w.index) + words[rand(words.length)] + s.slice(w.index + w[0].length);
          }
        }
      }
    }
    const f = join(mutantsDir, `mutant-${String(i).padStart(5, '0')}.graphql`);
    writeFileSync(f, s);
    mutants.push(f);
  }
  files = files.concat(mutants);
}

const ours = files.length === 0 ? [] : JSON.parse(execFileSync(tool, [validateToo ? 'check' : 'parse',
  ...(validateToo ? [schemaPath] : []), ...files], { maxBuffer: 1 << 28 }).toString());

// Bough reports validation errors rule by rule, graphql-js node by node:
// compare them as sets.
function errorsOf(errs) {
  return errs.map((e) => ({ message: e.message, locations: (e.locations ?? []).map((l) => ({ line: l.line, column: l.column })) }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

let n = 0;
let failed = 0;
const lines = [];
function check(ok, name, detail) {
  n++;
  if (!ok) failed++;
  lines.push(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail) lines.push(...detail.split('\n').map((l) => '# ' + l));
}

for (const [i, file] of files.entries()) {
  const text = readFileSync(file, 'utf8');
  const mine = ours[i];
  let theirs;
  let doc;
  try {
    doc = parse(text);
  } catch (e) {
    theirs = { syntax: true, errors: errorsOf([e]) };
  }
  if (doc) {
    try {
      theirs = { syntax: false, printed: print(doc), errors: validateToo ? errorsOf(validate(schema, doc)) : [] };
    } catch (e) {
      // graphql-js itself crashes on a few invalid documents (a oneOf input
      // given an undefined variable): nothing to compare against.
      n++;
      lines.push(`ok ${n} - ${file.split('/').pop()} # SKIP graphql-js threw ${String(e.message).split('\n')[0]}`);
      continue;
    }
  }
  const want = JSON.stringify({ syntax: theirs.syntax, errors: theirs.errors, printed: theirs.printed });
  const got = JSON.stringify({ syntax: mine.syntax, errors: errorsOf(mine.errors), printed: mine.printed });
  check(want === got, file.split('/').pop(), `expected ${want}\n     got ${got}`);
}

if (introspectToo) {
  let detail = '';
  let ok = false;
  try {
    const intro = JSON.parse(execFileSync(tool, ['introspect', schemaPath], { maxBuffer: 1 << 30 }).toString());
    const client = buildClientSchema(intro.data ?? intro);
    assertValidSchema(client);
    const a = printSchema(client);
    const b = printSchema(schema);
    ok = a === b;
    if (!ok) detail = `introspection SDL differs:\n--- ours\n${a}\n--- graphql-js\n${b}`;
  } catch (e) {
    detail = String(e.stack ?? e);
  }
  check(ok, 'introspection passes buildClientSchema + assertValidSchema and prints the same SDL', detail);

  try {
    const mineSdl = execFileSync(tool, ['print-schema', schemaPath], { maxBuffer: 1 << 30 }).toString();
    const theirsSdl = printSchema(schema) + '\n';
    check(mineSdl === theirsSdl, 'print-schema matches graphql-js printSchema',
      `--- ours\n${mineSdl}\n--- graphql-js\n${theirsSdl}`);
  } catch (e) {
    check(false, 'print-schema matches graphql-js printSchema', String(e));
  }
}

if (mutantsDir) rmSync(mutantsDir, { recursive: true, force: true });

const variablesIndex = flags.indexOf('--variables');
if (variablesIndex >= 0) {
  const casesPath = flags[variablesIndex + 1];
  const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
  const mine = JSON.parse(execFileSync(tool, ['coerce', schemaPath, casesPath]).toString());
  for (const [i, c] of cases.entries()) {
    const op = parse(c.query).definitions[0];
    const r = getVariableValues(schema, op.variableDefinitions ?? [], c.variables, { maxErrors: 50 });
    const want = JSON.stringify({ coerced: r.coerced, errors: errorsOf(r.errors ?? []) });
    const got = JSON.stringify({ coerced: mine[i].coerced, errors: errorsOf(mine[i].errors) });
    check(want === got, `variables case ${i}: ${c.query}`, `expected ${want}\n     got ${got}`);
  }
}

console.log(`1..${n}`);
console.log(lines.join('\n'));
// exitCode, not exit(): exit() may cut stdout short when it is a pipe
process.exitCode = failed ? 1 : 0;
