// Every HTML page of both builds of the fixture (at the root and under
// /repo/) is valid HTML by the W3C Nu HTML checker (vnu-jar, run once on
// all the files with the machine's Java).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { config } from "./lib/harness.mjs";

const VNU = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");

/**
 * Errors that would come from a fixture's own content, not from dossier
 * (none at present). Each entry: the page, and the start of the checker's
 * message.
 */
const FROM_CONTENT = [];

/** Every .html file under `folder`, sorted. */
async function htmlFiles(folder) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** Runs the checker on `files`; resolves to its JSON report. */
function vnu(files) {
  return new Promise((resolve, reject) => {
    const args = ["-jar", VNU, "--errors-only", "--exit-zero-always", "--format", "json", ...files];
    execFile("java", args, { maxBuffer: 64 << 20, timeout: 300_000 }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`java ${VNU} failed: ${error.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stderr));
      } catch {
        reject(new Error(`the checker printed no JSON report:\n${stderr}`));
      }
    });
  });
}

test("the Nu HTML checker finds no error on any page", { timeout: 300_000 }, async (t) => {
  const c = config();
  const sites = [
    ["root", c.site],
    ["repo", c.repoSite],
  ];
  const files = [];
  for (const [, folder] of sites) files.push(...(await htmlFiles(folder)));
  assert.ok(files.length > 20, `only ${files.length} pages found in ${c.site} and ${c.repoSite}`);

  const report = await vnu(files);
  const errors = [];
  const expected = new Set();
  for (const m of report.messages) {
    if (m.type !== "error" && m.type !== "non-document-error") continue;
    const file = m.url ? fileURLToPath(m.url) : "(no file)";
    const [label, folder] = sites.find(([, f]) => file.startsWith(f + path.sep)) ?? ["", ""];
    const page = folder ? path.relative(folder, file) : file;
    const known = FROM_CONTENT.find(([p, start]) => p === page && m.message.startsWith(start));
    if (known) {
      expected.add(known);
      continue;
    }
    errors.push(`${label}/${page}:${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}: ${m.message}\n    ${(m.extract ?? "").replace(/\n/g, "\n    ")}`);
  }
  for (const entry of FROM_CONTENT) {
    if (!expected.has(entry)) t.diagnostic(`no longer found, remove it from FROM_CONTENT: ${entry.join(": ")}`);
  }
  t.diagnostic(`${files.length} pages checked`);
  assert.deepEqual(errors, [], `${errors.length} HTML errors:\n${errors.join("\n")}`);
});
