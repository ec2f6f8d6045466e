// File names as the file table holds them (GNU's lookup_file): a leading `./` is dropped, with
// any slashes after it (`.//foo` is `foo`), but `./` alone stays.

/** The name the file table holds for `name`. */
export function withoutDotSlash(name: string): string {
  while (name.startsWith("./") && name.length > 2) name = name.slice(2).replace(/^\/+(?=.)/, "");
  return name;
}
