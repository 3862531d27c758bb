// The API report: etc/<entry>.api.md, the public surface of each package entry as
// @microsoft/api-extractor reads it from dist/*.d.ts. Without `--accept` it only compares and exits
// 1 when the surface changed (test/docs/api-report.test.ts); `npm run api-report` accepts the change
// by rewriting the reports, which then show the change in review. api-extractor's "(undocumented)"
// marks are left out: documentation is the TSDoc coverage test's concern, not a surface change.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = fileURLToPath(new URL('../', import.meta.url));
/** Report file per entry declaration, named after the import specifier. */
export const ENTRIES = {
  'index.d.ts': 'authwire.api.md',
  'api.d.ts': 'authwire-api.api.md',
  'msw.d.ts': 'authwire-msw.api.md',
  'emulator.d.ts': 'authwire-emulator.api.md',
  'cookie-jar.d.ts': 'authwire-cookie-jar.api.md',
};

const accept = process.argv.includes('--accept');
const temp = join(root, '.tmp', 'api-report');
mkdirSync(temp, { recursive: true });
const changed = [];
for (const [entry, report] of Object.entries(ENTRIES)) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      newlineKind: 'lf',
      mainEntryPointFilePath: join(root, 'dist', entry),
      compiler: { tsconfigFilePath: join(root, 'etc', 'tsconfig.docs.json') },
      apiReport: { enabled: true, reportFileName: report, reportFolder: temp, reportTempFolder: temp },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        // Release tags (@public/@beta) are not used; TSDoc style is the coverage test's business.
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          'ae-missing-release-tag': { logLevel: 'none' },
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: join(root, 'etc', 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: true, messageCallback: quiet });
  if (!result.succeeded) {
    console.error(`api-extractor failed on dist/${entry}: ${result.errorCount} errors, ${result.warningCount} warnings`);
    process.exitCode = 1;
    continue;
  }
  const surface = readFileSync(join(temp, report), 'utf8')
    .replace(/^\s*\/\/ \(undocumented\)\n/gm, '')
    .replace(/^(\s*\/\/ @\w+) \(undocumented\)$/gm, '$1');
  const file = join(root, 'etc', report);
  if (existsSync(file) && readFileSync(file, 'utf8') === surface) continue;
  changed.push(`etc/${report}`);
  if (accept) writeFileSync(file, surface);
}
if (changed.length && !accept) {
  console.error(`The public API changed: ${changed.join(', ')}. Review the difference, then run \`npm run api-report\` to accept it.`);
  process.exitCode = 1;
} else if (changed.length) console.log(`Updated ${changed.join(', ')}.`);

/** Shows warnings and errors, not api-extractor's progress lines or its notes on the temp report. */
function quiet(message) {
  if (message.logLevel === 'info' || message.logLevel === 'verbose') message.handled = true;
  if (message.messageId === 'console-api-report-created' || message.messageId === 'console-api-report-copied') message.handled = true;
}
