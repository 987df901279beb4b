// Fails when a tracked text file has a line over 120 characters. Prettier wraps code but not
// strings, comments or prose; this catches those. A line holding a URL, or a Markdown table row,
// may run longer: breaking either makes it worse to read.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 120;
const CHECKED = /\.(ts|tsx|js|mjs|cjs|css|html|json|ya?ml|sql|md)$/;
// An applied migration is checksummed in every log that ran it, so it stays as it was written.
const SKIPPED = new Set(['package-lock.json', '0001_init.sql']);
const exempt = (line) => /\bhttps?:\/\//.test(line) || /^\s*\|/.test(line);

const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  encoding: 'utf8',
})
  .split('\0')
  .filter((f) => CHECKED.test(f) && !SKIPPED.has(f.split('/').pop()));

const long = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the work tree but still in the index
  }
  text.split('\n').forEach((line, i) => {
    if (line.length > LIMIT && !exempt(line)) long.push(`${file}:${i + 1}: ${line.length} characters`);
  });
}

if (long.length > 0) {
  console.error(`Lines over ${LIMIT} characters (URLs and Markdown tables excepted):\n${long.join('\n')}`);
  process.exit(1);
}
