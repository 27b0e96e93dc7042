// oracle.mjs: compares Bough's GraphQL core with graphql-js over the document corpus (TAP output).
//
// Copyright 2026 The Bough authors
// SPDX-License-Identifier: Apache-2.0
//
// node oracle.mjs GQL_TOOL SCHEMA.graphql DOCUMENTS_DIR [--no-validate]
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  parse, print, validate, buildSchema, buildClientSchema, assertValidSchema, printSchema,
} from 'graphql';

const [tool, schemaPath, docsDir, ...flags] = process.argv.slice(2);
const validateToo = !flags.includes('--no-validate');
const introspectToo = !flags.includes('--no-introspection');
const schemaSdl = readFileSync(schemaPath, 'utf8');
const schema = buildSchema(schemaSdl);
const files = readdirSync(docsDir).filter((f) => f.endsWith('.graphql')).sort()
  .map((f) => join(docsDir, f));

const ours = JSON.parse(execFileSync(tool, [validateToo ? 'check' : 'parse',
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
  try {
    const doc = parse(text);
    theirs = { syntax: false, printed: print(doc), errors: validateToo ? errorsOf(validate(schema, doc)) : [] };
  } catch (e) {
    theirs = { syntax: true, errors: errorsOf([e]) };
  }
  const want = JSON.stringify({ syntax: theirs.syntax, errors: theirs.errors, printed: theirs.printed });
  const got = JSON.stringify({ syntax: mine.syntax, errors: errorsOf(mine.errors), printed: mine.printed });
  check(want === got, file.split('/').pop(), `expected ${want}\n     got ${got}`);
}

if (introspectToo) {
  let detail = '';
  let ok = false;
  try {
    const intro = JSON.parse(execFileSync(tool, ['introspect', schemaPath]).toString());
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
    const mineSdl = execFileSync(tool, ['print-schema', schemaPath]).toString();
    const theirsSdl = printSchema(schema) + '\n';
    check(mineSdl === theirsSdl, 'print-schema matches graphql-js printSchema',
      `--- ours\n${mineSdl}\n--- graphql-js\n${theirsSdl}`);
  } catch (e) {
    check(false, 'print-schema matches graphql-js printSchema', String(e));
  }
}

console.log(`1..${n}`);
console.log(lines.join('\n'));
process.exit(failed ? 1 : 0);
