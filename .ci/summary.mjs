// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from Vitest's JSON
// report, and fails when the run executed no test at all.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2] ?? ".vitest-results.json", "utf8"));
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0 || failed > 0 || report.success === false) {
  process.exit(1);
}
