// Issue 15 point 2: the public surface of every package entry, as api-extractor reads it from the
// built declarations, equals the reviewed report in etc/*.api.md. A change to the surface fails here
// until `npm run api-report` rewrites the report, so the change shows in review.
import { describe, expect, it } from 'vitest';
import { ROOT, run, shown } from '../package/run.js';

describe('API report', () => {
  it('dist/*.d.ts match etc/*.api.md (after a deliberate change: npm run api-report)', async () => {
    const ran = await run(process.execPath, ['scripts/api-report.mjs'], { cwd: ROOT });
    expect(ran.code, shown(ran)).toBe(0);
    expect(ran.stderr).toBe('');
  }, 120_000);
});
