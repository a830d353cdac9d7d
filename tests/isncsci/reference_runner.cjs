// Classify exams with the reference implementation (npm package isncsci@2.0.6).
// Usage: node reference_runner.cjs <folder holding node_modules/isncsci>  < exams.jsonl  > results.jsonl
// One exam per input line, one result per output line; a line the reference rejects becomes {"error": ...}.
"use strict";
const path = require("path");

const prefix = process.argv[2];
if (!prefix) {
  process.stderr.write("usage: node reference_runner.cjs <reference folder>\n");
  process.exit(2);
}
const { ISNCSCI } = require(path.resolve(prefix, "node_modules", "isncsci"));

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const lines = Buffer.concat(chunks).toString("utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    try {
      const result = new ISNCSCI(JSON.parse(lines[i]));
      out[i] = JSON.stringify({ classification: result.classification, totals: result.totals });
    } catch (error) {
      out[i] = JSON.stringify({ error: String(error && error.message ? error.message : error) });
    }
  }
  process.stdout.write(out.length ? out.join("\n") + "\n" : "");
});
