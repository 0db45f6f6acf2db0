/**
 * Packs the PHP app (workload/inventory-app) into one gzip-compressible tar
 * for the user data. One archive compresses far better than one gzip per
 * file, and stripping comments and indentation first keeps the user data
 * well inside EC2's 16 KB limit while the source stays commented.
 */
import * as fs from "fs";
import * as path from "path";

/** The package whose root holds workload/ (this code runs from modules/ via ts-jest and from dist/modules/ compiled). */
export const PACKAGE_NAME = "cdktf-aws-ha";
/** Where the app's source lives, relative to the package root. */
export const APP_SOURCE_DIR = path.join("workload", "inventory-app");
/** Only these files are shipped; anything else in the folder (notes, editor files) stays behind. */
const SHIPPED_EXTENSION = ".php";

const TAR_BLOCK = 512;
const TAR_NAME_MAX = 100;
const FILE_MODE = 0o644;

/** Walks up from `start` to the package.json named {@link PACKAGE_NAME}. */
export function findPackageRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, "utf8")).name === PACKAGE_NAME) return dir;
      } catch {
        // an unreadable package.json is not ours: keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `inventory-app: no package.json named "${PACKAGE_NAME}" above ${start}; ` +
          `the renderer reads the PHP app from <package root>/${APP_SOURCE_DIR}, so run it from inside that package`,
      );
    }
    dir = parent;
  }
}

export interface AppFile {
  /** Path relative to the app directory, with forward slashes (e.g. "public/index.php"). */
  readonly name: string;
  readonly content: Buffer;
}

/** Reads the app's PHP files (sorted, so the output is deterministic) and strips them. */
export function readAppFiles(root: string = findPackageRoot()): AppFile[] {
  const base = path.join(root, APP_SOURCE_DIR);
  const out: AppFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(SHIPPED_EXTENSION)) {
        const name = path.relative(base, full).split(path.sep).join("/");
        out.push({ name, content: Buffer.from(stripPhp(fs.readFileSync(full, "utf8"), name), "utf8") });
      }
    }
  };
  if (!fs.existsSync(base)) throw new Error(`inventory-app: app source folder ${base} is missing`);
  walk(base);
  if (!out.some((f) => f.name === "public/index.php")) {
    throw new Error(`inventory-app: ${base}/public/index.php is missing; the web server's front controller must exist`);
  }
  return out;
}

/**
 * Removes comments and collapses whitespace outside string literals.
 * Deliberately small: it refuses PHP it does not understand (heredoc,
 * backticks, closing tags) rather than risk changing what the code does.
 */
export function stripPhp(src: string, name: string): string {
  const OPEN = "<?php";
  if (!src.startsWith(OPEN)) throw new Error(`inventory-app: ${name} must start with "${OPEN}"`);
  let out = OPEN;
  let pendingSpace = "";
  let i = OPEN.length;
  const emit = (s: string): void => {
    out += pendingSpace + s;
    pendingSpace = "";
  };
  const space = (s: string): void => {
    // keep one separator; a newline wins so the result stays readable line by line
    if (out.length > 0) pendingSpace = pendingSpace === "\n" || s.includes("\n") ? "\n" : " ";
  };
  while (i < src.length) {
    const c = src[i];
    const two = src.slice(i, i + 2);
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      if (j >= src.length) throw new Error(`inventory-app: ${name}: unterminated string at offset ${i}`);
      emit(src.slice(i, j + 1));
      i = j + 1;
    } else if (two === "//" || (c === "#" && src[i + 1] !== "[")) {
      const eol = src.indexOf("\n", i);
      i = eol === -1 ? src.length : eol;
    } else if (two === "/*") {
      const end = src.indexOf("*/", i + 2);
      if (end === -1) throw new Error(`inventory-app: ${name}: unterminated comment at offset ${i}`);
      space(" "); // a comment separates tokens
      i = end + 2;
    } else if (/\s/.test(c)) {
      let j = i;
      while (j < src.length && /\s/.test(src[j])) j++;
      space(src.slice(i, j));
      i = j;
    } else if (c === "`" || two === "?>" || src.startsWith("<<<", i)) {
      throw new Error(`inventory-app: ${name}: unsupported PHP syntax ${JSON.stringify(src.slice(i, i + 3))} at offset ${i} (no heredoc, backticks or closing tag)`);
    } else {
      // A run of characters that start nothing above, emitted at once (one per loop turn made a
      // cold synth spend tens of milliseconds here); `#`, `/`, `?` and `<` go one at a time.
      ORDINARY_RUN.lastIndex = i + 1;
      const run = ORDINARY_RUN.exec(src);
      const end = run ? ORDINARY_RUN.lastIndex : i + 1;
      emit(src.slice(i, end));
      i = end;
    }
  }
  return out + "\n";
}

/** Characters that cannot begin a string, comment, whitespace or refused syntax in stripPhp. */
const ORDINARY_RUN = /[^'"/#\s`?<]+/y;

function tarHeader(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > TAR_NAME_MAX) throw new Error(`inventory-app: file name too long for tar: ${name}`);
  const h = Buffer.alloc(TAR_BLOCK);
  const octal = (value: number, width: number): string => value.toString(8).padStart(width - 1, "0") + "\0";
  h.write(name, 0);
  h.write(octal(FILE_MODE, 8), 100);
  h.write(octal(0, 8), 108); // uid root
  h.write(octal(0, 8), 116); // gid root
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136); // mtime 0: identical input gives identical user data
  h.write(" ".repeat(8), 148); // checksum is computed with its own field as spaces
  h.write("0", 156); // regular file
  h.write("ustar\0" + "00", 257);
  h.write("root", 265);
  h.write("root", 297);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

/** A POSIX ustar archive of the files (regular files only; tar creates the folders on extraction). */
export function tarFiles(files: readonly AppFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(tarHeader(f.name, f.content.length), f.content, Buffer.alloc((TAR_BLOCK - (f.content.length % TAR_BLOCK)) % TAR_BLOCK));
  }
  parts.push(Buffer.alloc(2 * TAR_BLOCK)); // end-of-archive marker
  return Buffer.concat(parts);
}
