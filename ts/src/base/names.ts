// The one name normalisation of file names (GNU's lookup_file, and parse_file_seq as it splits
// names): each leading `./` is dropped, with any slashes after it (`.//foo` is `foo`), as long
// as something follows it; a name that is nothing but `.` and slashes (`./`, `.//`) is `./`.
// The file table's lookup and enter apply it (remake/files.ts), so the build never compares
// names spelt two ways; the reader applies it as it splits names, and the command line to
// goals and file options.

/** The name the file table holds for `name`. */
export function withoutDotSlash(name: string): string {
  if (name.charCodeAt(0) !== 46 /* . */ || name.charCodeAt(1) !== 47 /* / */) return name;
  let i = 0;
  while (name.charCodeAt(i) === 46 && name.charCodeAt(i + 1) === 47 && i + 2 < name.length) {
    i += 2;
    while (name.charCodeAt(i) === 47) i++;
  }
  return i >= name.length ? "./" : name.slice(i);
}
