// GNU Make 4.3's built-in implicit rules, as `make -p -f /dev/null` prints them. Suffix rules are
// kept as suffix rules (GNU enters them as files before reading the makefiles and converts them
// to pattern rules afterwards, with the final .SUFFIXES), the rest as pattern rules.

/** The default .SUFFIXES list (empty under -r). */
export const DEFAULT_SUFFIXES: readonly string[] = [".out", ".a", ".ln", ".o", ".c", ".cc", ".C", ".cpp", ".p", ".f", ".F", ".m", ".r", ".y", ".l", ".ym", ".yl", ".s", ".S", ".mod", ".sym", ".def", ".h", ".info", ".dvi", ".tex", ".texinfo", ".texi", ".txinfo", ".w", ".ch", ".web", ".sh", ".elc", ".el"];

/** Built-in suffix rules: target name (".c.o", ".c") -> recipe lines. */
export const BUILTIN_SUFFIX_RULES: ReadonlyMap<string, readonly string[]> = new Map([
  [".C", ["$(LINK.C) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".C.o", ["$(COMPILE.C) $(OUTPUT_OPTION) $<"]],
  [".F", ["$(LINK.F) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".F.f", ["$(PREPROCESS.F) $(OUTPUT_OPTION) $<"]],
  [".F.o", ["$(COMPILE.F) $(OUTPUT_OPTION) $<"]],
  [".S", ["$(LINK.S) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".S.o", ["$(COMPILE.S) -o $@ $<"]],
  [".S.s", ["$(PREPROCESS.S) $< > $@"]],
  [".c", ["$(LINK.c) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".c.ln", ["$(LINT.c) -C$* $<"]],
  [".c.o", ["$(COMPILE.c) $(OUTPUT_OPTION) $<"]],
  [".cc", ["$(LINK.cc) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".cc.o", ["$(COMPILE.cc) $(OUTPUT_OPTION) $<"]],
  [".cpp", ["$(LINK.cpp) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".cpp.o", ["$(COMPILE.cpp) $(OUTPUT_OPTION) $<"]],
  [".def.sym", ["$(COMPILE.def) -o $@ $<"]],
  [".f", ["$(LINK.f) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".f.o", ["$(COMPILE.f) $(OUTPUT_OPTION) $<"]],
  [".l.c", ["@$(RM) $@ ", " $(LEX.l) $< > $@"]],
  [".l.ln", ["@$(RM) $*.c", " $(LEX.l) $< > $*.c", "$(LINT.c) -i $*.c -o $@", " $(RM) $*.c"]],
  [".l.r", ["$(LEX.l) $< > $@ ", " mv -f lex.yy.r $@"]],
  [".lm.m", ["@$(RM) $@ ", " $(LEX.m) $< > $@"]],
  [".m", ["$(LINK.m) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".m.o", ["$(COMPILE.m) $(OUTPUT_OPTION) $<"]],
  [".mod", ["$(COMPILE.mod) -o $@ -e $@ $^"]],
  [".mod.o", ["$(COMPILE.mod) -o $@ $<"]],
  [".o", ["$(LINK.o) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".p", ["$(LINK.p) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".p.o", ["$(COMPILE.p) $(OUTPUT_OPTION) $<"]],
  [".r", ["$(LINK.r) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".r.f", ["$(PREPROCESS.r) $(OUTPUT_OPTION) $<"]],
  [".r.o", ["$(COMPILE.r) $(OUTPUT_OPTION) $<"]],
  [".s", ["$(LINK.s) $^ $(LOADLIBES) $(LDLIBS) -o $@"]],
  [".s.o", ["$(COMPILE.s) -o $@ $<"]],
  [".sh", ["cat $< >$@ ", " chmod a+x $@"]],
  [".tex.dvi", ["$(TEX) $<"]],
  [".texi.dvi", ["$(TEXI2DVI) $(TEXI2DVI_FLAGS) $<"]],
  [".texi.info", ["$(MAKEINFO) $(MAKEINFO_FLAGS) $< -o $@"]],
  [".texinfo.dvi", ["$(TEXI2DVI) $(TEXI2DVI_FLAGS) $<"]],
  [".texinfo.info", ["$(MAKEINFO) $(MAKEINFO_FLAGS) $< -o $@"]],
  [".txinfo.dvi", ["$(TEXI2DVI) $(TEXI2DVI_FLAGS) $<"]],
  [".txinfo.info", ["$(MAKEINFO) $(MAKEINFO_FLAGS) $< -o $@"]],
  [".w.c", ["$(CTANGLE) $< - $@"]],
  [".w.tex", ["$(CWEAVE) $< - $@"]],
  [".web.p", ["$(TANGLE) $<"]],
  [".web.tex", ["$(WEAVE) $<"]],
  [".y.c", ["$(YACC.y) $< ", " mv -f y.tab.c $@"]],
  [".y.ln", ["$(YACC.y) $< ", " $(LINT.c) -C$* y.tab.c ", " $(RM) y.tab.c"]],
  [".ym.m", ["$(YACC.m) $< ", " mv -f y.tab.c $@"]],
]);

export interface BuiltinPattern {
  targets: string[];
  prereqs: string[];
  recipe: string[];
  terminal: boolean;
}

/** Built-in pattern rules, installed after the makefiles' own and the converted suffix rules. */
export const BUILTIN_PATTERN_RULES: readonly BuiltinPattern[] = [
  { targets: ["(%)"], prereqs: ["%"], recipe: ["$(AR) $(ARFLAGS) $@ $<"], terminal: false },
  { targets: ["%.out"], prereqs: ["%"], recipe: ["@rm -f $@ ", " cp $< $@"], terminal: false },
  { targets: ["%.c"], prereqs: ["%.w", "%.ch"], recipe: ["$(CTANGLE) $^ $@"], terminal: false },
  { targets: ["%.tex"], prereqs: ["%.w", "%.ch"], recipe: ["$(CWEAVE) $^ $@"], terminal: false },
  { targets: ["%"], prereqs: ["%,v"], recipe: ["$(CHECKOUT,v)"], terminal: true },
  { targets: ["%"], prereqs: ["RCS/%,v"], recipe: ["$(CHECKOUT,v)"], terminal: true },
  { targets: ["%"], prereqs: ["RCS/%"], recipe: ["$(CHECKOUT,v)"], terminal: true },
  { targets: ["%"], prereqs: ["s.%"], recipe: ["$(GET) $(GFLAGS) $(SCCS_OUTPUT_OPTION) $<"], terminal: true },
  { targets: ["%"], prereqs: ["SCCS/s.%"], recipe: ["$(GET) $(GFLAGS) $(SCCS_OUTPUT_OPTION) $<"], terminal: true },
];
