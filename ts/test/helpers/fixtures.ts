// Setup commands and makefiles several differential suites share.

/** `touch` commands that give files fixed, ordered modification times. */
export const OLD = "touch -d '2020-01-01 00:00'";
export const MID = "touch -d '2021-01-01 00:00'";
export const NEW = "touch -d '2022-01-01 00:00'";

/** Three rules in a chain: final <- middle <- source, each made by its own recipe. */
export const chain = ["final: middle", "\tcat middle > final", "middle: source", "\tcat source > middle", "source:", "\techo made > source", ""].join("\n");
