// File names as the file table holds them (GNU's lookup_file): each leading `./` is dropped,
// with any slashes after it (`.//foo` is `foo`), as long as something follows it; a name that
// is nothing but `.` and slashes (`./`, `.//`) is `./`. The reader drops them the same way
// when it splits names (read/rules.ts, GNU's parse_file_seq).

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
