// A tiny static file server for the browser tests, shaped like GitHub
// Pages: a folder's index.html for a path ending in `/`, a redirect to add
// the `/` to a folder's path, and the site's own 404.html for anything
// missing. It serves one built site at `/` and, optionally, another built
// for a sub-path at `/repo/`, both on one ephemeral port of 127.0.0.1.
//
//   node serve.mjs ROOT_SITE [REPO_SITE]
//
// prints `http://127.0.0.1:PORT/` on its first line of output, then serves
// until it is stopped. The folders need not exist yet: each request reads
// the disk afresh, so the sites can be built after the port is known.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The sub-path the second site is served under. */
export const REPO_PREFIX = "/repo/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".bib": "text/plain; charset=utf-8",
};

/** The folder and the path inside it that `pathname` asks for. */
function locate(sites, pathname) {
  if (sites.repo && (pathname === REPO_PREFIX.slice(0, -1) || pathname.startsWith(REPO_PREFIX))) {
    return { folder: sites.repo, rest: pathname.slice(REPO_PREFIX.length - 1) || "/" };
  }
  return { folder: sites.root, rest: pathname };
}

async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function isDir(file) {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** Answers one request; never throws. */
async function answer(sites, request, response) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
  } catch {
    response.writeHead(400).end("bad request");
    return;
  }
  if (pathname.split("/").includes("..") || pathname.includes("\0")) {
    response.writeHead(400).end("bad request");
    return;
  }
  const { folder, rest } = locate(sites, pathname);
  let file = path.join(folder, rest);
  if (rest.endsWith("/")) {
    file = path.join(file, "index.html");
  } else if (await isDir(file)) {
    response.writeHead(301, { location: pathname + "/" }).end();
    return;
  }
  let status = 200;
  if (!(await isFile(file))) {
    status = 404;
    file = path.join(folder, "404.html");
  }
  try {
    const body = await readFile(file);
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
    response.end(request.method === "HEAD" ? undefined : body);
  } catch {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}

/** Starts serving; resolves to the server's base address. */
export function serve(sites) {
  const server = createServer((request, response) => {
    answer(sites, request, response);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [root, repo] = process.argv.slice(2);
  if (!root) {
    console.error("usage: node serve.mjs ROOT_SITE [REPO_SITE]");
    process.exit(2);
  }
  const { url } = await serve({ root: path.resolve(root), repo: repo && path.resolve(repo) });
  console.log(url);
  // Stop when the parent closes our standard input (or on a signal).
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
